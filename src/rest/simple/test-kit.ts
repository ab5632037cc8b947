// Shared by the simple profile's *.test.ts files only: a gateway, a JSON client for
// /api/v1/users, whole-database snapshots to prove "nothing changed", and the seed's shapes.
import { expect } from "vitest";
import { tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { everyRowAsText } from "../../../test/support/table-rows.js";

export type SimpleResponse = { status: number; headers: Headers; body: any };

export type SimpleApi = {
  gateway: TestGateway;
  /** A token of the default realm's admin client (every management scope). */
  adminToken: string;
  /** Sends a request to /api/v1/users{path}; `body` is JSON-encoded unless it is a string. */
  call(
    method: string,
    path: string,
    options?: { token?: string | null; body?: unknown; headers?: Record<string, string> },
  ): Promise<SimpleResponse>;
  /** Every row of every table, to compare before and after a refused request. */
  snapshot(): Promise<string[]>;
  close(): Promise<void>;
};

export async function startSimpleApi(env: Record<string, string> = {}): Promise<SimpleApi> {
  const gateway = await startTestGateway(env);
  const adminToken = await tokenFor(gateway);
  const call: SimpleApi["call"] = async (method, path, options = {}) => {
    const token = options.token === undefined ? adminToken : options.token;
    const headers: Record<string, string> = token ? { authorization: `Bearer ${token}` } : {};
    let body: string | undefined;
    if (options.body !== undefined) {
      headers["content-type"] = "application/json";
      body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    }
    const response = await gateway.request(`/api/v1/users${path}`, { method, headers: { ...headers, ...options.headers }, body });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  };
  const snapshot = async () => (await everyRowAsText(gateway.database.prisma)).sort();
  return { gateway, adminToken, call, snapshot, close: () => gateway.close() };
}

/** The profile's error body. */
export function expectError(response: SimpleResponse, status: number, error: string, message?: RegExp | string) {
  expect(response.status, JSON.stringify(response.body)).toBe(status);
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  expect(response.body).toEqual({ error, message: expect.any(String) });
  if (message !== undefined) expect(response.body.message).toMatch(message);
}

/** Runs the request and checks that it changed no row of any table. */
export async function expectUnchanged(api: SimpleApi, request: () => Promise<SimpleResponse>): Promise<SimpleResponse> {
  const before = await api.snapshot();
  const response = await request();
  expect(await api.snapshot()).toEqual(before);
  return response;
}

/** Seed 004 writes times as "2023-01-15T08:30:00Z". */
export const seedTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
export const userId = expect.stringMatching(/^usr_[0-9a-z]{26}$/);
/** A well-formed user id that names nobody. */
export const unknownUserId = `usr_01j${"z".repeat(23)}`;
