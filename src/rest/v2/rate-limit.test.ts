// Seed 000's rate limits on the v2 routes, with small budgets: per client and realm, one budget
// per family of routes, 429 with Retry-After and x-ratelimit-* headers, nothing changed once refused.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "../../../test/support/api-client.js";
import { tokenWithScopes } from "../../../test/support/user-fixtures.js";
import { encoded, expectError, expectUnchanged, startV2Api, type V2Api, type V2Response } from "./test-kit.js";

let api: V2Api;

beforeAll(async () => {
  api = await startV2Api({
    RATE_LIMIT_USERS_LIST: "3",
    RATE_LIMIT_USERS_CREATE: "2",
    RATE_LIMIT_USERS_UPDATE: "2",
    RATE_LIMIT_ROLE_OPERATIONS: "2",
  });
});
afterAll(() => api.close());

function expectLimited(response: V2Response, limit: number) {
  expectError(response, 429, "too_many_requests");
  expect(response.body.error).toBe("Too Many Requests");
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(Number(response.headers.get("retry-after"))).toBeLessThanOrEqual(60);
  expect(response.headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
}

/** A token of a new client: a budget of its own. */
async function freshClient(): Promise<string> {
  return tokenWithScopes(api.gateway, await tokenFor(api.gateway), ["users:read", "users:write", "users:roles", "roles:read"]);
}

describe("rate limits", () => {
  it("counts GET /users per client: the budget's requests pass with falling x-ratelimit-remaining, then 429", async () => {
    const token = await freshClient();
    const remaining: string[] = [];
    for (let n = 0; n < 3; n++) {
      const response = await api.call("GET", "/users", { token });
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ratelimit-limit")).toBe("3");
      remaining.push(response.headers.get("x-ratelimit-remaining")!);
    }
    expect(remaining).toEqual(["2", "1", "0"]);
    expectLimited(await api.call("GET", "/users", { token }), 3);
    // Bad requests spend the same budget and are refused before being read.
    expectLimited(await api.call("GET", "/users?per_page=0", { token }), 3);
    // Another client of the realm has its own budget.
    expect((await api.call("GET", "/users", { token: await freshClient() })).status).toBe(200);
  });

  it("refuses POST /users over its budget without creating anything", async () => {
    const token = await freshClient();
    for (let n = 0; n < 2; n++) {
      const response = await api.call("POST", "/users", { token, body: { connection: "usergate", email: `limited${n}@example.com` } });
      expect(response.status, response.text).toBe(201);
      expect(response.headers.get("x-ratelimit-limit")).toBe("2");
    }
    const refused = await expectUnchanged(api, () => api.call("POST", "/users", { token, body: { connection: "usergate", email: "limited2@example.com" } }));
    expectLimited(refused, 2);
  });

  it("refuses PATCH and DELETE /users/{id} over the usersUpdate budget without changing anything", async () => {
    const token = await freshClient();
    const { userId } = await api.createUser({ email: "patched@example.com" });
    for (let n = 0; n < 2; n++) {
      expect((await api.call("PATCH", `/users/${encoded(userId)}`, { token, body: { nickname: `n${n}` } })).status).toBe(200);
    }
    expectLimited(await expectUnchanged(api, () => api.call("PATCH", `/users/${encoded(userId)}`, { token, body: { nickname: "x" } })), 2);
    expectLimited(await expectUnchanged(api, () => api.call("DELETE", `/users/${encoded(userId)}`, { token })), 2);
  });

  it("counts every role operation in one budget", async () => {
    const token = await freshClient();
    const role = await api.createRole("limited");
    const { userId } = await api.createUser({ email: "roles-limited@example.com" });
    expect((await api.call("POST", `/users/${encoded(userId)}/roles`, { token, body: { roles: [role] } })).status).toBe(204);
    expect((await api.call("GET", "/roles", { token })).status).toBe(200);
    const refused = await expectUnchanged(api, () => api.call("DELETE", `/users/${encoded(userId)}/roles`, { token, body: { roles: [role] } }));
    expectLimited(refused, 2);
    expectLimited(await api.call("GET", `/users/${encoded(userId)}/roles`, { token }), 2);
    expectLimited(await api.call("GET", `/roles/${role}/users`, { token }), 2);
  });
});
