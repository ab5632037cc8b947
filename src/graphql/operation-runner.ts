// Runs a known GraphQL operation in-process, through the same Yoga instance (its envelop
// plugins: error masking and the rest) and the same context as an HTTP GraphQL request, minus
// the HTTP: no request body to parse, and each document is validated once, not per call.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { GraphQLError, validate, type ExecutionResult } from "graphql";
import type { GraphQLContext } from "./context.js";
import type { GraphQLServer } from "./yoga.js";

export type OperationRunner = <Result, Variables extends Record<string, unknown>>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
  context: GraphQLContext,
) => Promise<ExecutionResult<Result>>;

export function createOperationRunner(yoga: GraphQLServer): OperationRunner {
  const validated = new WeakSet<object>();
  return async (document, variables, context) => {
    const { schema, execute, contextFactory } = yoga.getEnveloped(context as never);
    if (!validated.has(document)) {
      const errors = validate(schema, document);
      if (errors.length > 0) throw new GraphQLError(`Invalid built-in operation: ${errors[0]!.message}`);
      validated.add(document);
    }
    const contextValue = await contextFactory();
    return (await execute({ schema, document, variableValues: variables, contextValue })) as ExecutionResult<never>;
  };
}
