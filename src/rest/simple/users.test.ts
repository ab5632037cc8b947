// Seed 004 through HTTP: every route's status, headers and body as the seed shows them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { insertRole, insertTenant, insertUser } from "../../../test/support/directory-rows.js";
import { expectError, seedTime, startSimpleApi, unknownUserId, userId, type SimpleApi } from "./test-kit.js";

let api: SimpleApi;

beforeAll(async () => {
  api = await startSimpleApi();
  await insertRole(api.gateway, { name: "admin" });
  await insertRole(api.gateway, { name: "editor" });
});
afterAll(() => api.close());

const seedCreateBody = {
  email: "newuser@example.com",
  name: "Jane Smith",
  role: "editor",
  password: "securePassword123",
  settings: { theme: "dark", notifications: true },
};

function expectLimited(response: { headers: Headers }, limit: number) {
  expect(response.headers.get("x-ratelimit-limit")).toBe(String(limit));
  expect(Number(response.headers.get("x-ratelimit-remaining"))).toBeGreaterThanOrEqual(0);
  expect(Number(response.headers.get("x-ratelimit-reset"))).toBeGreaterThan(Date.now() / 1000 - 1);
  expect(response.headers.get("retry-after")).toBeNull();
}

describe("the seed's session: create, get, update, delete", () => {
  let id: string;

  it("POST /api/v1/users creates a pending user and answers 201 {data} as the seed shows", async () => {
    const created = await api.call("POST", "", { body: seedCreateBody });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.headers.get("content-type")).toMatch(/^application\/json/);
    expectLimited(created, 50);
    expect(created.body).toEqual({
      data: { id: userId, email: "newuser@example.com", name: "Jane Smith", role: "editor", status: "pending", created_at: seedTime },
    });
    id = created.body.data.id;
    const stored = await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });
    expect(stored).toMatchObject({ realmId: api.gateway.defaultRealmId, status: "invited", userMetadata: { settings: { theme: "dark", notifications: true } } });
    expect(stored.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it("GET /api/v1/users/{user_id} answers {data} with role, last_login and settings", async () => {
    const read = await api.call("GET", `/${id}`);
    expect(read.status).toBe(200);
    expectLimited(read, 500);
    expect(read.body).toEqual({
      data: {
        id,
        email: "newuser@example.com",
        name: "Jane Smith",
        role: "editor",
        status: "pending",
        created_at: seedTime,
        last_login: null,
        settings: { theme: "dark", notifications: true },
      },
    });
    const signedIn = new Date("2023-06-20T14:22:10.456Z");
    await api.gateway.database.prisma.user.update({ where: { id }, data: { lastLoginAt: signedIn } });
    expect((await api.call("GET", `/${id}`)).body.data.last_login).toBe("2023-06-20T14:22:10Z");
  });

  it("PUT /api/v1/users/{user_id} with the seed's body answers {data} with updated_at", async () => {
    const before = await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });
    const updated = await api.call("PUT", `/${id}`, {
      body: { name: "Jane Smith-Johnson", role: "admin", status: "active", settings: { theme: "system", notifications: false } },
    });
    expect(updated.status, JSON.stringify(updated.body)).toBe(200);
    expectLimited(updated, 200);
    expect(updated.body).toEqual({
      data: {
        id,
        email: "newuser@example.com",
        name: "Jane Smith-Johnson",
        role: "admin",
        status: "active",
        created_at: seedTime,
        updated_at: seedTime,
      },
    });
    const after = await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });
    expect(after.updatedAt.getTime()).toBeGreaterThan(before.updatedAt.getTime());
    const read = await api.call("GET", `/${id}`);
    expect(read.body.data).toMatchObject({ role: "admin", status: "active", settings: { theme: "system", notifications: false } });
  });

  it("DELETE /api/v1/users/{user_id} answers {success, message}; the user is gone", async () => {
    const deleted = await api.call("DELETE", `/${id}`);
    expect(deleted.status).toBe(200);
    expectLimited(deleted, 200);
    expect(deleted.body).toEqual({ success: true, message: "User deleted successfully" });
    expectError(await api.call("GET", `/${id}`), 404, "not_found", "User not found");
    expectError(await api.call("DELETE", `/${id}`), 404, "not_found");
    expect(await api.gateway.database.prisma.user.findUnique({ where: { id } })).toBeNull();
  });
});

describe("GET /api/v1/users", () => {
  let listRole: string;
  const ids: string[] = [];

  beforeAll(async () => {
    const role = await insertRole(api.gateway, { name: "lister" });
    listRole = role.name;
    const statuses = ["active", "active", "invited", "inactive", "suspended"] as const;
    for (const [index, status] of statuses.entries()) {
      const user = await insertUser(api.gateway, {
        email: `list-${index}@example.test`,
        name: `List ${index}`,
        status,
        createdAt: new Date(Date.UTC(2023, 0, 15, 8, 30, index, 250)),
        roles: { create: [{ id: `uro_01j${String(index).padStart(23, "0")}`, roleId: role.id }] },
      });
      ids.push(user.id);
    }
  });

  it("answers {data, meta:{total, page, limit, pages}} with the seed's defaults (page 1, limit 20)", async () => {
    const list = await api.call("GET", `?role=${listRole}`);
    expect(list.status).toBe(200);
    expect(list.headers.get("content-type")).toMatch(/^application\/json/);
    expectLimited(list, 500);
    expect(list.body.meta).toEqual({ total: 5, page: 1, limit: 20, pages: 1 });
    expect(list.body.data.map((user: any) => user.id)).toEqual(ids);
    expect(list.body.data[0]).toEqual({
      id: ids[0],
      email: "list-0@example.test",
      name: "List 0",
      role: "lister",
      status: "active",
      created_at: "2023-01-15T08:30:00Z",
      last_login: null,
    });
  });

  it("pages with page (from 1) and limit", async () => {
    const page2 = await api.call("GET", `?role=${listRole}&page=2&limit=2`);
    expect(page2.body).toEqual({ data: [expect.objectContaining({ id: ids[2] }), expect.objectContaining({ id: ids[3] })], meta: { total: 5, page: 2, limit: 2, pages: 3 } });
    const page3 = await api.call("GET", `?role=${listRole}&page=3&limit=2`);
    expect(page3.body.data.map((user: any) => user.id)).toEqual([ids[4]]);
    const beyond = await api.call("GET", `?role=${listRole}&page=9&limit=2`);
    expect(beyond.body).toEqual({ data: [], meta: { total: 5, page: 9, limit: 2, pages: 3 } });
    const max = await api.call("GET", `?limit=100`);
    expect(max.status).toBe(200);
    expect(max.body.meta.limit).toBe(100);
  });

  it("filters by status: pending is a user not yet signed in (invited); suspended is shown as itself", async () => {
    const byStatus = async (status: string) => (await api.call("GET", `?role=${listRole}&status=${status}`)).body;
    expect(await byStatus("active")).toMatchObject({ meta: { total: 2 }, data: [{ id: ids[0], status: "active" }, { id: ids[1] }] });
    expect(await byStatus("pending")).toMatchObject({ meta: { total: 1 }, data: [{ id: ids[2], status: "pending" }] });
    expect(await byStatus("inactive")).toMatchObject({ meta: { total: 1 }, data: [{ id: ids[3], status: "inactive" }] });
    expect(await byStatus("suspended")).toMatchObject({ meta: { total: 1 }, data: [{ id: ids[4], status: "suspended" }] });
  });

  it("filters by role name, also when more than a page of roles share its prefix", async () => {
    const realmId = api.gateway.defaultRealmId;
    await api.gateway.database.prisma.role.createMany({
      data: Array.from({ length: 105 }, (_, index) => ({ id: `rol_01j0${String(index).padStart(22, "0")}`, realmId, name: `ops-${index}` })),
    });
    const ops = await insertRole(api.gateway, { name: "ops" });
    const holder = await insertUser(api.gateway, { roles: { create: [{ id: "uro_01j1zzzzzzzzzzzzzzzzzzzzzz", roleId: ops.id }] } });
    const list = await api.call("GET", "?role=ops");
    expect(list.status).toBe(200);
    expect(list.body).toEqual({ data: [expect.objectContaining({ id: holder.id, role: "ops" })], meta: { total: 1, page: 1, limit: 20, pages: 1 } });
    const none = await api.call("GET", "?role=ops-104");
    expect(none.body).toEqual({ data: [], meta: { total: 0, page: 1, limit: 20, pages: 0 } });
  });

  it("answers 400 to bad parameters", async () => {
    const cases: Array<[string, RegExp]> = [
      ["?page=0", /^page must be a whole number between 1 and 100000/],
      ["?page=x", /^page must be a whole number/],
      ["?limit=101", /^limit must be a whole number between 1 and 100/],
      ["?limit=0", /^limit/],
      ["?limit=-5", /^limit/],
      ["?status=blocked", /^status must be one of active, inactive, pending, suspended/],
      ["?role=", /^role must not be empty/],
      ["?role=nobody-has-this", /^role "nobody-has-this" does not name an existing role/],
      ["?sort=name", /^Unknown query parameter: sort/],
      ["?page=1&page=2", /^page must be given once/],
    ];
    for (const [query, message] of cases) expectError(await api.call("GET", query), 400, "invalid_request", message);
  });
});

describe("the single role and settings", () => {
  it("shows the oldest of several realm-wide roles, ignores tenant roles, and PUT role makes it the only one", async () => {
    const tenantRole = await insertRole(api.gateway, { name: "role-0-in-tenant" });
    const [first, second] = [await insertRole(api.gateway, { name: "role-a" }), await insertRole(api.gateway, { name: "role-b" })];
    const tenant = await insertTenant(api.gateway);
    const user = await insertUser(api.gateway, {
      tenants: { create: [{ tenantId: tenant.id }] },
      roles: {
        create: [
          { id: "uro_01j2zzzzzzzzzzzzzzzzzzzzzz", roleId: second.id },
          { id: "uro_01j3zzzzzzzzzzzzzzzzzzzzzz", roleId: first.id },
          { id: "uro_01j4zzzzzzzzzzzzzzzzzzzzzz", roleId: tenantRole.id, tenantId: tenant.id },
        ],
      },
    });
    expect((await api.call("GET", `/${user.id}`)).body.data.role).toBe("role-a");
    const listed = await api.call("GET", "?role=role-b");
    expect(listed.body.data).toEqual([expect.objectContaining({ id: user.id, role: "role-a" })]);
    const updated = await api.call("PUT", `/${user.id}`, { body: { role: "role-b" } });
    expect(updated.status).toBe(200);
    expect(updated.body.data.role).toBe("role-b");
    const grants = await api.gateway.database.prisma.userRole.findMany({ where: { userId: user.id } });
    expect(grants.map((grant) => [grant.roleId, grant.tenantId]).sort()).toEqual([[second.id, null], [tenantRole.id, tenant.id]].sort());
    const cleared = await api.call("PUT", `/${user.id}`, { body: { role: null } });
    expect(cleared.body.data.role).toBeNull();
    expect(await api.gateway.database.prisma.userRole.count({ where: { userId: user.id, tenantId: null } })).toBe(0);
    expect(await api.gateway.database.prisma.userRole.count({ where: { userId: user.id } })).toBe(1);
  });

  it("keeps settings in user_metadata.settings: PUT replaces or removes them, other metadata stays", async () => {
    const user = await insertUser(api.gateway, { name: "Meta", userMetadata: { plan: "pro", settings: { theme: "light" } } });
    expect((await api.call("GET", `/${user.id}`)).body.data.settings).toEqual({ theme: "light" });
    await api.call("PUT", `/${user.id}`, { body: { settings: { theme: "dark", notifications: true } } });
    const stored = async () => (await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).userMetadata;
    expect(await stored()).toEqual({ plan: "pro", settings: { theme: "dark", notifications: true } });
    const removed = await api.call("PUT", `/${user.id}`, { body: { settings: null } });
    expect(removed.status).toBe(200);
    expect(await stored()).toEqual({ plan: "pro" });
    expect((await api.call("GET", `/${user.id}`)).body.data.settings).toEqual({});
  });

  it("PUT changes only the fields given", async () => {
    const user = await insertUser(api.gateway, { name: "Keep Me", status: "invited" });
    const updated = await api.call("PUT", `/${user.id}`, { body: { status: "suspended" } });
    expect(updated.body.data).toMatchObject({ name: "Keep Me", status: "suspended", role: null });
    const renamed = await api.call("PUT", `/${user.id}`, { body: { name: "Renamed", status: "pending" } });
    expect(renamed.body.data).toMatchObject({ name: "Renamed", status: "pending" });
    expect((await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } })).status).toBe("invited");
  });

  it("POST without role, name, password or settings creates a bare pending user", async () => {
    const created = await api.call("POST", "", { body: { email: "Bare@Example.com" } });
    expect(created.status).toBe(201);
    expect(created.body.data).toEqual({ id: userId, email: "bare@example.com", name: null, role: null, status: "pending", created_at: seedTime });
    expect((await api.call("GET", `/${created.body.data.id}`)).body.data.settings).toEqual({});
  });
});

describe("routes beside the profile", () => {
  it("leaves unknown paths and methods to the gateway's 404", async () => {
    expectError(await api.call("GET", `/${unknownUserId}/roles`), 404, "not_found");
    expectError(await api.call("PATCH", `/${unknownUserId}`, { body: { name: "x" } }), 404, "not_found");
  });
});
