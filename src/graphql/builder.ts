// The Pothos builder: setup only. Types, queries and mutations live in ./types, one per entity.
import SchemaBuilder from "@pothos/core";
import DataloaderPlugin from "@pothos/plugin-dataloader";
import ErrorsPlugin from "@pothos/plugin-errors";
import PrismaPlugin from "@pothos/plugin-prisma";
import RelayPlugin from "@pothos/plugin-relay";
import ScopeAuthPlugin from "@pothos/plugin-scope-auth";
import SimpleObjectsPlugin from "@pothos/plugin-simple-objects";
import { DateTimeResolver, JSONObjectResolver } from "graphql-scalars";
import type PrismaTypes from "../generated/pothos-prisma-types.js";
import { getDatamodel } from "../generated/pothos-prisma-types.js";
import type { GraphQLContext } from "./context.js";
import { insufficientScopeError, unauthenticatedError } from "./errors.js";
import { decodeId, encodeId } from "./global-id.js";
import { mayRead } from "./read-scopes.js";
import { missingScopesOf } from "./scope-failure.js";

export type ManagementScope =
  | "users:read"
  | "users:write"
  | "users:roles"
  | "users:tokens"
  | "applications:read"
  | "applications:write"
  | "roles:read"
  | "roles:write"
  | "resources:read"
  | "resources:write"
  | "audit:read"
  | "realms:read"
  | "realms:write";

export const builder = new SchemaBuilder<{
  Context: GraphQLContext;
  PrismaTypes: PrismaTypes;
  AuthScopes: {
    /** Anyone, with or without a token (introspection-level data only). */
    public: boolean;
    /** Any valid principal. */
    authenticated: boolean;
    /** The principal's token carries this scope. */
    scope: ManagementScope;
    /** The principal belongs to the admin realm. */
    adminRealm: boolean;
    /** The principal is a signed-in user (not an application or key). */
    signedInUser: boolean;
  };
  Scalars: {
    DateTime: { Input: Date; Output: Date };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
}>({
  // Scope checks run first, so no other plugin's wrapper executes for an unauthorised field.
  plugins: [ScopeAuthPlugin, ErrorsPlugin, RelayPlugin, PrismaPlugin, DataloaderPlugin, SimpleObjectsPlugin],
  defaultFieldNullability: false,
  scopeAuth: {
    // A type's scopes (the realm check of every realm-owned type) run once per object as it is
    // completed, rather than through a wrapper around each of its fields: the same check, without
    // a per-field cost on every row of a list.
    runScopesOnType: true,
    authScopes: (context) => ({
      public: true,
      authenticated: context.principal !== null,
      scope: (scope) => context.principal?.scopes.has(scope) ?? false,
      adminRealm: context.principal?.realmIsAdmin ?? false,
      signedInUser: context.principal?.kind === "user",
    }),
    unauthorizedError: (_parent, context, _info, { failure }) => {
      if (context.principal === null) return unauthenticatedError();
      const missing = missingScopesOf(failure);
      return missing ? insufficientScopeError(`The token lacks ${missing.join(", ")}`, missing) : insufficientScopeError();
    },
  },
  relay: {
    clientMutationId: "omit",
    cursorType: "String",
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // Unknown ids, ids of other realms (see inCallersRealm) and ids of a type the caller may not
    // read (./read-scopes.ts) resolve to null.
    nodeQueryOptions: {
      authScopes: { authenticated: true },
      resolve: (_root, { id }, context, _info, resolveNode) =>
        mayRead(context.principal?.scopes, id.typename) ? nullWhenMissing(Promise.resolve(resolveNode(id))) : null,
    },
    nodesQueryOptions: {
      authScopes: { authenticated: true },
      resolve: (_root, { ids }, context, _info, resolveNodes) =>
        ids.map((id) => (mayRead(context.principal?.scopes, id.typename) ? nullWhenMissing(resolveNodes([id]).then((nodes) => nodes[0])) : null)),
    },
    encodeGlobalID: encodeId,
    decodeGlobalID: decodeId,
  },
  prisma: {
    client: (context) => context.prisma,
    dmmf: getDatamodel(),
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: 20,
    maxConnectionSize: 100,
    onUnusedQuery: null,
  },
  errors: {
    defaultTypes: [],
    // Payload types go straight into the result union: `createRole { ... on RolePayload { role { id } } }`.
    directResult: true,
    defaultUnionOptions: {
      name: ({ fieldName }) => `${fieldName.charAt(0).toUpperCase()}${fieldName.slice(1)}Result`,
    },
  },
});

async function nullWhenMissing<T>(lookup: Promise<T>): Promise<T | null> {
  try {
    return await lookup;
  } catch (error) {
    if ((error as { code?: unknown }).code === "P2025") return null;
    throw error;
  }
}

builder.addScalarType("DateTime", DateTimeResolver);
builder.addScalarType("JSONObject", JSONObjectResolver);

builder.queryType({});
builder.mutationType({});
