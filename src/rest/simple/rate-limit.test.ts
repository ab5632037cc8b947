// Seed 000's budgets on the simple profile: GET spends usersList, POST usersCreate, PUT and
// DELETE usersUpdate, per realm and client. 429 carries Retry-After and x-ratelimit-*.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenWithScopes } from "../../../test/support/user-fixtures.js";
import { insertUser } from "../../../test/support/directory-rows.js";
import { expectError, expectUnchanged, startSimpleApi, type SimpleApi } from "./test-kit.js";

let api: SimpleApi;

beforeAll(async () => {
  api = await startSimpleApi({ RATE_LIMIT_USERS_LIST: "3", RATE_LIMIT_USERS_CREATE: "1", RATE_LIMIT_USERS_UPDATE: "2" });
});
afterAll(() => api.close());

function expectRefused(response: { status: number; headers: Headers; body: any }, limit: number) {
  expectError(response, 429, "rate_limited", /^Rate limit exceeded; retry in \d+ seconds/);
  expect(Number(response.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(response.headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(response.headers.get("x-ratelimit-remaining")).toBe("0");
  expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000);
}

describe("429 Too Many Requests - Rate limit exceeded", () => {
  it("counts GET /users and GET /users/{id} in one budget, also bad requests, with headers on every answer", async () => {
    const user = await insertUser(api.gateway);
    const first = await api.call("GET", "");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
    const bad = await api.call("GET", "?limit=1000");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("x-ratelimit-remaining")).toBe("1");
    const read = await api.call("GET", `/${user.id}`);
    expect(read.status).toBe(200);
    expect(read.headers.get("x-ratelimit-remaining")).toBe("0");
    expectRefused(await api.call("GET", ""), 3);
    expectRefused(await api.call("GET", `/${user.id}`), 3);
  });

  it("limits POST and PUT/DELETE with their own budgets; a refused write changes nothing", async () => {
    const created = await api.call("POST", "", { body: { email: "one@example.test" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-ratelimit-limit")).toBe("1");
    expectRefused(await expectUnchanged(api, () => api.call("POST", "", { body: { email: "two@example.test" } })), 1);
    const id = created.body.data.id;
    expect((await api.call("PUT", `/${id}`, { body: { name: "One" } })).status).toBe(200);
    expect((await api.call("PUT", `/${id}`, { body: { name: "Uno" } })).status).toBe(200);
    expectRefused(await expectUnchanged(api, () => api.call("PUT", `/${id}`, { body: { name: "Eins" } })), 2);
    expectRefused(await expectUnchanged(api, () => api.call("DELETE", `/${id}`)), 2);
  });

  it("counts per client: another client of the realm has its own budget", async () => {
    const other = await tokenWithScopes(api.gateway, api.adminToken, ["users:read"]);
    const response = await api.call("GET", "", { token: other });
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("2");
  });
});
