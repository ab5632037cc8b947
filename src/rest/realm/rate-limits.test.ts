// Seed 000's budgets on the realm profile, with small limits: every limited response carries
// x-ratelimit-*, a refused one is 429 {error:"rate_limited"} with Retry-After and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectUnchanged, startRealmApi, type RealmApi } from "./test-kit.js";

let api: RealmApi;
let userId: string;
let roleId: string;

beforeAll(async () => {
  api = await startRealmApi({
    RATE_LIMIT_USERS_LIST: "2",
    RATE_LIMIT_USERS_CREATE: "2",
    RATE_LIMIT_USERS_UPDATE: "2",
    RATE_LIMIT_ROLE_OPERATIONS: "2",
  });
  roleId = (await api.call(api.acme, "POST", "/roles", { body: { name: "limited" } })).body.data.id;
});
afterAll(() => api.close());

async function exhaust(request: () => ReturnType<RealmApi["call"]>, limit: number) {
  for (let sent = 1; sent <= limit; sent++) {
    const response = await request();
    expect(response.status, JSON.stringify(response.body)).toBeLessThan(429);
    expect(response.headers.get("x-ratelimit-limit")).toBe(String(limit));
    expect(response.headers.get("x-ratelimit-remaining")).toBe(String(limit - sent));
    expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
  }
  const refused = await expectUnchanged(api, request);
  expectError(refused, 429, "rate_limited");
  expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
  expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
}

describe("rate limits of the realm profile", () => {
  it("limits POST /users (usersCreate), counting refused bodies too", async () => {
    let sent = 0;
    await exhaust(() => {
      sent++;
      return api.call(api.acme, "POST", "/users", { body: sent === 1 ? { email: "limited@acme.test" } : { email: 5 } });
    }, 2);
    userId = (await api.gateway.database.prisma.user.findFirstOrThrow({ where: { email: "limited@acme.test" } })).id;
  });

  it("limits GET /users (usersList), per client: another realm's client has its own budget", async () => {
    await exhaust(() => api.call(api.acme, "GET", "/users"), 2);
    const other = await api.call(api.defaultRealm, "GET", "/users");
    expect(other.status).toBe(200);
    expect(other.headers.get("x-ratelimit-remaining")).toBe("1");
  });

  it("limits the PATCH routes of a user together (usersUpdate)", async () => {
    const requests = [
      () => api.call(api.acme, "PATCH", `/users/${userId}`, { body: { name: "L" } }),
      () => api.call(api.acme, "PATCH", `/users/${userId}/password`, { body: { password: "longEnough123" } }),
      () => api.call(api.acme, "PATCH", `/users/${userId}/is-suspended`, { body: { is_suspended: true } }),
    ];
    let next = 0;
    await exhaust(() => requests[next++ % requests.length]!(), 2);
  });

  it("limits user and application role assignment (roleOperations)", async () => {
    const requests = [
      () => api.call(api.acme, "POST", `/users/${userId}/roles`, { body: { role_ids: [roleId] } }),
      () => api.call(api.acme, "GET", `/users/${userId}/roles`),
      () => api.call(api.acme, "DELETE", `/users/${userId}/roles/${roleId}`),
    ];
    let next = 0;
    await exhaust(() => requests[next++ % requests.length]!(), 2);
    const apps = await api.call(api.acme, "GET", "/applications");
    expectError(await api.call(api.acme, "GET", `/applications/${apps.body.data[0].id}/roles`), 429, "rate_limited");
  });

  it("does not limit the other tables", async () => {
    for (let i = 0; i < 4; i++) {
      const response = await api.call(api.acme, "GET", "/roles");
      expect(response.status).toBe(200);
      expect(response.headers.get("x-ratelimit-limit")).toBeNull();
    }
  });
});
