// Shared by the realm profile's *.test.ts files only: a gateway with a second realm ("acme",
// created through createRealm) whose admin client gets its tokens at /oauth2/{realm}/token, a
// JSON client for /api/v1/{realm}/…, and a whole-database snapshot to prove "nothing changed".
import { expect } from "vitest";
import { graphqlOk, tokenFor, type ClientCredentials } from "../../../test/support/api-client.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";

export type TestRealm = {
  realmId: string;
  client: ClientCredentials;
  /** A token of the realm's admin client, narrowed to `scope` when given. */
  token(scope?: string): Promise<string>;
};

export type RealmApiResponse = { status: number; headers: Headers; body: any };

export type RealmApi = {
  gateway: TestGateway;
  defaultRealm: TestRealm;
  acme: TestRealm;
  /** Sends a request to /api/v1/{realm.realmId}{path}; `body` is JSON-encoded unless it is a string. */
  call(
    realm: TestRealm,
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<RealmApiResponse>;
  /** Every row of every table, to compare before and after a refused request. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
};

export const allManagementScopes =
  "users:read users:write users:roles applications:read applications:write roles:read roles:write resources:read resources:write";

export async function startRealmApi(env: Record<string, string> = {}): Promise<RealmApi> {
  const gateway = await startTestGateway(env);
  const realmOf = (realmId: string, client: ClientCredentials, path?: string): TestRealm => {
    const cache = new Map<string, Promise<string>>();
    return {
      realmId,
      client,
      token(scope = allManagementScopes) {
        if (!cache.has(scope)) cache.set(scope, tokenFor(gateway, client, { scope, realmId: path }));
        return cache.get(scope)!;
      },
    };
  };
  const defaultRealm = realmOf(gateway.defaultRealmId, adminClient);
  const created = await graphqlOk(
    gateway,
    await tokenFor(gateway),
    `mutation { createRealm(input: { name: "acme" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
  );
  const acmeId: string = created.createRealm.realm.id;
  const acme = realmOf(
    acmeId,
    { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret },
    acmeId,
  );

  const call: RealmApi["call"] = async (realm, method, path, options = {}) => {
    const token = options.token === undefined ? await realm.token() : options.token;
    const headers: Record<string, string> = { ...(token ? { authorization: `Bearer ${token}` } : {}) };
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const response = await gateway.request(`/api/v1/${realm.realmId}${path}`, {
      method,
      headers: { ...headers, ...options.headers },
      body,
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
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

  return { gateway, defaultRealm, acme, call, snapshot, close: () => gateway.close() };
}

/** The seed's error body. */
export function expectError(response: RealmApiResponse, status: number, error: string, message?: RegExp | string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.body).toEqual({ error, message: expect.any(String) });
  if (message !== undefined) expect(response.body.message).toMatch(message);
}

/** Runs the request and checks that it changed no row of any table. */
export async function expectUnchanged(api: RealmApi, request: () => Promise<RealmApiResponse>): Promise<RealmApiResponse> {
  const before = await api.snapshot();
  const response = await request();
  expect(await api.snapshot()).toEqual(before);
  return response;
}

export const iso = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
/** A well-formed id that names nothing. */
export const unknownId = (prefix: string) => `${prefix}_01j${"z".repeat(23)}`;
