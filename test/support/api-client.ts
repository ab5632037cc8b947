// What an API consumer does: get a token at the token endpoint, then call GraphQL with it.
import { expect } from "vitest";
import { adminClient, type TestGateway } from "./gateway.js";

export type ClientCredentials = { clientId: string; clientSecret: string };

/** Whatever answers HTTP requests: a test gateway in this process, or a gateway process over the network. */
export type HttpTarget = Pick<TestGateway, "request">;

export async function requestToken(
  gateway: HttpTarget,
  params: Record<string, string>,
  init: { path?: string; headers?: Record<string, string> } = {},
): Promise<Response> {
  return gateway.request(init.path ?? "/oauth/token", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...init.headers },
    body: new URLSearchParams(params).toString(),
  });
}

/** An access token for the client (the bootstrap admin by default); fails the test otherwise. */
export async function tokenFor(
  gateway: HttpTarget,
  client: ClientCredentials = adminClient,
  options: { scope?: string; realmId?: string } = {},
): Promise<string> {
  const response = await requestToken(
    gateway,
    {
      grant_type: "client_credentials",
      client_id: client.clientId,
      client_secret: client.clientSecret,
      ...(options.scope ? { scope: options.scope } : {}),
    },
    { path: options.realmId ? `/oauth2/${options.realmId}/token` : "/oauth/token" },
  );
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}

export type GraphQLResult<Data = any> = {
  status: number;
  headers: Headers;
  data: Data | null;
  errors: Array<{ message: string; path?: string[]; extensions?: { code?: string } }> | undefined;
};

export async function graphql<Data = any>(
  gateway: HttpTarget,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResult<Data>> {
  const response = await gateway.request("/graphql", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      accept: "application/graphql-response+json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  return { status: response.status, headers: response.headers, data: body.data ?? null, errors: body.errors };
}

/** Runs an operation that must succeed without errors and returns its data. */
export async function graphqlOk<Data = any>(
  gateway: HttpTarget,
  token: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Data> {
  const result = await graphql<Data>(gateway, token, query, variables);
  expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
  return result.data as Data;
}
