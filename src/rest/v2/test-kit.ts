// Shared by the v2 profile's *.test.ts files only: a gateway, tokens of the bootstrap admin
// narrowed to some scopes, a JSON client for /api/v2/…, fixtures made through GraphQL, and a
// whole-database snapshot to prove that a refused request changed nothing.
import { expect } from "vitest";
import { graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";

export const allManagementScopes =
  "users:read users:write users:roles applications:read applications:write roles:read roles:write resources:read resources:write";

export type V2Response = { status: number; headers: Headers; body: any; text: string };

export type V2Api = {
  gateway: TestGateway;
  /** A token of the bootstrap admin narrowed to `scope` (all management scopes by default). */
  token(scope?: string): Promise<string>;
  /** Sends a request to /api/v2{path}; `body` is JSON-encoded unless it is a string. */
  call(method: string, path: string, options?: { token?: string | null; body?: unknown; headers?: Record<string, string> }): Promise<V2Response>;
  /** Runs GraphQL as the admin and returns the data. */
  graphql(query: string, variables?: Record<string, unknown>): Promise<any>;
  /** Creates a user through GraphQL; returns its id and v2 user_id. */
  createUser(input: Record<string, unknown>): Promise<{ id: string; userId: string }>;
  /** Creates a role (optionally with scopes of the management API, by name). */
  createRole(name: string, description?: string, scopeNames?: string[]): Promise<string>;
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
};

export async function startV2Api(env: Record<string, string> = {}): Promise<V2Api> {
  const gateway = await startTestGateway(env);
  const tokens = new Map<string, Promise<string>>();
  const token = (scope = allManagementScopes) => {
    if (!tokens.has(scope)) tokens.set(scope, tokenFor(gateway, undefined, { scope }));
    return tokens.get(scope)!;
  };
  const graphql = async (query: string, variables: Record<string, unknown> = {}) => graphqlOk(gateway, await token(), query, variables);

  const call: V2Api["call"] = async (method, path, options = {}) => {
    const bearer = options.token === undefined ? await token() : options.token;
    const headers: Record<string, string> = { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const response = await gateway.request(`/api/v2${path}`, { method, headers: { ...headers, ...options.headers }, body });
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  };

  const createUser: V2Api["createUser"] = async (input) => {
    const data = await graphql(
      `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on UserPayload { user { id connection } } ... on Error { message } } }`,
      { input },
    );
    expect(data.createUser.__typename, JSON.stringify(data.createUser)).toBe("UserPayload");
    const { id, connection } = data.createUser.user;
    return { id, userId: `${connection}|${id}` };
  };

  const managementScopes = async () => {
    const data = await graphql(`{ resources(first: 20) { edges { node { isManagement scopes { id name } } } } }`);
    return data.resources.edges.find((edge: any) => edge.node.isManagement).node.scopes as Array<{ id: string; name: string }>;
  };

  const createRole: V2Api["createRole"] = async (name, description, scopeNames = []) => {
    const scopes = scopeNames.length > 0 ? await managementScopes() : [];
    const scopeIds = scopeNames.map((scopeName) => scopes.find((scope) => scope.name === scopeName)!.id);
    const data = await graphql(
      `mutation($input: CreateRoleInput!) { createRole(input: $input) { __typename ... on RolePayload { role { id } } ... on Error { message } } }`,
      { input: { name, description, scopeIds } },
    );
    expect(data.createRole.__typename, JSON.stringify(data.createRole)).toBe("RolePayload");
    return data.createRole.role.id;
  };

  const snapshot = async () => {
    const prisma = gateway.database.prisma;
    const tables = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
      `SELECT tablename::text AS name FROM pg_tables WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations'`,
    );
    const rows: string[] = [];
    for (const { name } of tables) {
      const found = await prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT row_to_json(t)::text AS row FROM "${name}" t`);
      rows.push(...found.map((row) => `${name} ${row.row}`));
    }
    return rows.sort();
  };

  return { gateway, token, call, graphql, createUser, createRole, snapshot, close: () => gateway.close() };
}

/** The seed's error body with this status and errorCode. */
export function expectError(response: V2Response, status: number, errorCode: string, message?: RegExp | string) {
  expect(response.status, response.text).toBe(status);
  expect(response.body).toEqual({ statusCode: status, error: expect.any(String), message: expect.any(String), errorCode });
  if (message !== undefined) expect(response.body.message).toMatch(message);
}

/** Runs the request and checks that it changed no row of any table. */
export async function expectUnchanged(api: V2Api, request: () => Promise<V2Response>): Promise<V2Response> {
  const before = await api.snapshot();
  const response = await request();
  expect(await api.snapshot()).toEqual(before);
  return response;
}

export const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
/** A well-formed id that names nothing. */
export const unknownId = (prefix: string) => `${prefix}_01j${"z".repeat(23)}`;
export const encoded = (userId: string) => encodeURIComponent(userId);
