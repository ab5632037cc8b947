// A field of a type needs the type's read scope (./read-scopes.ts) wherever the type appears:
// under its own query, in a mutation's payload, behind another type's link, in a `node(id)`
// fragment. Field-level `authScopes` guard the entry points; this plugin guards what an operation
// reads through them. Before execution it checks the scopes every selected field needs and refuses
// the whole operation when the token lacks one, so a mutation whose payload the caller may not see
// is never run. Without a type's scope an operation still selects its `id` and `__typename`.
//
// It runs at onExecute, so the REST profiles, which execute through `yoga.getEnveloped()`, pass it
// too. The requirement of an operation is computed once (Yoga caches parsed documents, the REST
// profiles hold theirs); a request costs finding its operation and a subset test of the scopes.
// The walk follows fragment spreads where they occur rather than visiting the document flat (as
// visitWithTypeInfo would): whether a field is exempt depends on where it is spread (under `me`).
import {
  getNamedType,
  getOperationAST,
  isAbstractType,
  isCompositeType,
  Kind,
  typeFromAST,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import type { GraphQLContext } from "./context.js";
import { insufficientScopeError, unauthenticatedError } from "./errors.js";
import { linkReadScopes, readScopes, selfFields } from "./read-scopes.js";

/** Fields that identify an object without revealing anything about it. */
const identifying = new Set(["id", "__typename"]);

export function useReadScopes(): Plugin<GraphQLContext> {
  // Keyed by the operation's node, which lives as long as its cached document; a request naming
  // an operation the document lacks adds nothing (execution reports it).
  const requirements = new WeakMap<OperationDefinitionNode, ReadRequirement[]>();

  return {
    onExecute({ args, setResultAndStopExecution }) {
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      let required = requirements.get(operation);
      if (!required) requirements.set(operation, (required = readScopesOfOperation(args.schema, args.document, operation)));
      if (required.length === 0) return;
      const principal = args.contextValue.principal;
      if (principal === null) return setResultAndStopExecution({ errors: [unauthenticatedError()] });
      const unmet = required.filter((anyOf) => !anyOf.some((scope) => principal.scopes.has(scope)));
      if (unmet.length > 0) {
        const needs = unmet.map(([scope, ...others]) => (others.length > 0 ? `${scope} (or ${others.join(" or ")})` : scope));
        setResultAndStopExecution({
          errors: [
            insufficientScopeError(
              `The operation reads fields that need ${needs.join(", ")}; without them, select ids only`,
              unmet.map(([scope]) => scope!),
            ),
          ],
        });
      }
    },
  };
}

/** Scopes of which the caller must hold at least one: the type's own read scope first. */
export type ReadRequirement = readonly string[];

/**
 * What the operation reads, as requirements each met by one of its scopes: for every type on which
 * it selects a field other than `id` and `__typename`, the type's read scope, or one of the scopes
 * of the link that led there (./read-scopes.ts). Fragments count where they are spread; a field
 * selected on an interface or union needs the scope of each type it may turn out to be;
 * `@skip`/`@include` are not evaluated (a field that may be selected is). Directly under a self
 * field (`me`, `realm`) nothing is needed.
 */
function readScopesOfOperation(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): ReadRequirement[] {
  const rootType = schema.getRootType(operation.operation);
  if (!rootType) return []; // validation has refused the document already
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const requirements = new Map<string, ReadRequirement>();
  // A fragment is walked once per context (self or not, the link it sits behind): repeated spreads add nothing new.
  const walked = new Set<string>();

  const require = (type: GraphQLCompositeType, alternatives: readonly string[]): void => {
    for (const possible of isAbstractType(type) ? schema.getPossibleTypes(type) : [type]) {
      const scope = readScopes[possible.name];
      if (scope === undefined) continue;
      const anyOf = [scope, ...alternatives.filter((other) => other !== scope)];
      requirements.set(anyOf.join(" "), anyOf);
    }
  };

  /** `via`: the scopes of the link this selection set sits behind, which may read its objects too. */
  const walk = (selectionSet: SelectionSetNode, parentType: GraphQLCompositeType, self: boolean, via: readonly string[]): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith("__")) continue; // __typename and introspection, which hold no realm data
        const field = "getFields" in parentType ? parentType.getFields()[name] : undefined;
        if (!field) continue; // validation has refused the document already
        const link = linkReadScopes[`${parentType.name}.${name}`] ?? [];
        if (!self && !identifying.has(name)) require(parentType, [...via, ...link]);
        const fieldType = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(fieldType)) {
          walk(selection.selectionSet, fieldType, parentType === schema.getQueryType() && selfFields.has(name), link);
        }
      } else {
        const definition = selection.kind === Kind.FRAGMENT_SPREAD ? fragments.get(selection.name.value) : selection;
        if (!definition) continue;
        if (selection.kind === Kind.FRAGMENT_SPREAD) {
          const key = `${selection.name.value}:${self}:${via.join(" ")}`;
          if (walked.has(key)) continue;
          walked.add(key);
        }
        const condition = definition.typeCondition ? typeFromAST(schema, definition.typeCondition) : parentType;
        if (condition && isCompositeType(condition)) walk(definition.selectionSet, condition, self, via);
      }
    }
  };

  walk(operation.selectionSet, rootType, false, []);
  return [...requirements.values()].sort((a, b) => a[0]!.localeCompare(b[0]!));
}
