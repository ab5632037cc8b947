// What the bench sends. Each scenario describes its n-th request; the same description serves
// the one-off probe (fetch, to fail loudly before loading a broken endpoint) and autocannon.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { repositoryRoot } from "./server-process.js";

export type BenchRequest = {
  method: "GET" | "POST";
  path: string;
  headers: Record<string, string>;
  body?: string;
};

export type Scenario = {
  name: string;
  description: string;
  /** The n-th request (n counts from 0 across all connections). */
  request(n: number): BenchRequest;
  /** Connections for this scenario when not the run's (latency scenarios use a few). */
  connections?: number;
  /** False when every request is identical: autocannon then builds it once. */
  rotating: boolean;
  /** Whether a 2xx body is a real success (a GraphQL 200 can still carry `errors`). */
  verifyBody(body: string): boolean;
};

export type ScenarioContext = {
  token: string;
  clientId: string;
  clientSecret: string;
  /** Ids of seeded users, empty when nothing was seeded. */
  userIds: string[];
};

/** The optional parts of the schema the user scenarios need, read from the printed schema. */
export async function schemaCapabilities(): Promise<{ userById: boolean; usersConnection: boolean }> {
  const sdl = await readFile(path.join(repositoryRoot, "schema.graphql"), "utf8");
  return { userById: sdl.includes("user(id"), usersConnection: sdl.includes("users(") };
}

const graphqlHeaders = { "content-type": "application/json", accept: "application/graphql-response+json" };
const noErrors = (body: string) => body.startsWith("{") && !body.includes('"errors"');

function graphqlScenario(
  name: string,
  description: string,
  query: string,
  token: string | null,
  options: { variables?: (n: number) => Record<string, unknown>; verify?: (body: string) => boolean } = {},
): Scenario {
  const headers = token ? { ...graphqlHeaders, authorization: `Bearer ${token}` } : graphqlHeaders;
  const fixedBody = JSON.stringify({ query });
  return {
    name,
    description,
    rotating: options.variables !== undefined,
    request: (n) => ({
      method: "POST",
      path: "/graphql",
      headers,
      body: options.variables ? JSON.stringify({ query, variables: options.variables(n) }) : fixedBody,
    }),
    verifyBody: (body) => noErrors(body) && (options.verify?.(body) ?? true),
  };
}

export function tokenScenario(context: ScenarioContext): Scenario {
  const body = new URLSearchParams({
    grant_type: "client_credentials",
    client_id: context.clientId,
    client_secret: context.clientSecret,
  }).toString();
  return {
    name: "token",
    description: "POST /oauth/token client_credentials (client_secret_post, form body)",
    rotating: false,
    request: () => ({
      method: "POST",
      path: "/oauth/token",
      headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
      body,
    }),
    verifyBody: (responseBody) => responseBody.includes('"access_token"'),
  };
}

export function authScenarios(context: ScenarioContext): Scenario[] {
  return [
    graphqlScenario("graphql-unprotected", "{ __typename } without a token", "{ __typename }", null),
    graphqlScenario("graphql-protected", "{ __typename } with a bearer token", "{ __typename }", context.token),
    graphqlScenario("graphql-realm", "{ realm { id } } with a token (one DB read)", "{ realm { id } }", context.token, {
      verify: (body) => body.includes('"realm":{"id"'),
    }),
  ];
}

const pick = (ids: string[], n: number) => ids[n % ids.length]!;
const foundUser = (body: string) => body.includes('"user":{');

export function userByIdScenario(context: ScenarioContext): Scenario {
  return graphqlScenario(
    "user-by-id",
    `user(id) { id email }, rotating over ${context.userIds.length} users`,
    "query UserById($id: ID!) { user(id: $id) { id email } }",
    context.token,
    { variables: (n) => ({ id: pick(context.userIds, n) }), verify: foundUser },
  );
}

/**
 * The fields GET /api/v2/users/{id} asks for (the V2User fragment of src/rest/v2/users.graphql at
 * the time of writing), so the REST comparison weighs the same GraphQL work.
 */
const v2UserFields = `id email emailVerified username phone phoneVerified name givenName familyName nickname
  picture connection status userMetadata appMetadata lastLoginAt lastLoginIp loginsCount createdAt updatedAt`;

export function userByIdV2FieldsScenario(context: ScenarioContext): Scenario {
  return graphqlScenario(
    "user-by-id-v2-fields",
    "user(id) with the fields the v2 REST route selects",
    `query UserByIdV2Fields($id: ID!) { user(id: $id) { ${v2UserFields} } }`,
    context.token,
    { variables: (n) => ({ id: pick(context.userIds, n) }), verify: foundUser },
  );
}

export function usersFirst50Scenario(context: ScenarioContext): Scenario {
  return graphqlScenario(
    "users-first-50",
    "users(first: 50) { roles { name scopes { name } } }",
    "{ users(first: 50) { edges { node { id roles { name scopes { name } } } } } }",
    context.token,
    { verify: (body) => body.includes('"edges":[{') },
  );
}

export function restUserByIdScenario(context: ScenarioContext): Scenario {
  return {
    name: "rest-user-by-id",
    description: "GET /api/v2/users/{usergate|id}, rotating",
    rotating: true,
    request: (n) => ({
      method: "GET",
      path: `/api/v2/users/${encodeURIComponent(`usergate|${pick(context.userIds, n)}`)}`,
      headers: { authorization: `Bearer ${context.token}`, accept: "application/json" },
    }),
    verifyBody: (body) => body.includes('"user_id"'),
  };
}

export type ProbeOutcome = { ok: true } | { ok: false; status: number; body: string };

/** Sends request 0 of the scenario once and checks it the way the load run will. */
export async function probe(baseUrl: string, scenario: Scenario): Promise<ProbeOutcome> {
  const request = scenario.request(0);
  const response = await fetch(baseUrl + request.path, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (response.status >= 200 && response.status < 300 && scenario.verifyBody(body)) return { ok: true };
  return { ok: false, status: response.status, body: body.slice(0, 300) };
}
