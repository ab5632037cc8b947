// The read queries `user(id)` and `users(...)` through /graphql: exactly the values Prisma stored,
// whichever path reads them (the driver for columns alone, Prisma once a relation
// is selected), and the list's order, pages, filters, search and realm boundary.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import {
  createOtherRealm,
  expectAccessDenied,
  insertApplication,
  insertRole,
  insertTenant,
  insertUser,
} from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { userFields } from "../../../test/support/user-fixtures.js";
import { newId } from "../../db/ids.js";
import type { User } from "../../generated/prisma/client.js";

let gateway: TestGateway;
let admin: string;
let reader: string;
/** The list fixture lives in a realm of its own, so the user(id) tests' users never show in it. */
let listRealm: { realmId: string; token: string };
let role: { id: string };
let tenant: { id: string };
let application: { id: string };
const ids: Record<string, string> = {};

const allFields = `${userFields} lastLoginAt lastLoginIp loginsCount`;
const day = (date: string) => new Date(`${date}T00:00:00.000Z`);

// Far from UTC (+14 h), so a timestamp read or written in the process's zone lands in another day
// or year; on a UTC machine that mistake would go unseen.
const processZone = process.env.TZ;

beforeAll(async () => {
  process.env.TZ = "Pacific/Kiritimati";
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
  listRealm = await createOtherRealm(gateway, admin);
  const realmId = listRealm.realmId;
  role = await insertRole(gateway, { realmId });
  tenant = await insertTenant(gateway, { realmId });
  application = await insertApplication(gateway, { realmId });
  // By creation day. Names and emails differ from their first letter, so every collation sorts
  // them alike; tia and ned share a createdAt, so their ids decide.
  const rows: Array<[string, string | null, User["status"], string, string | null, { plan?: string }]> = [
    ["ada", "Ada Lovelace", "active", "2025-01-01", "2025-03-01", { plan: "pro" }],
    ["john", "John Smith", "invited", "2025-02-01", null, { plan: "free" }],
    ["joan", "Joan Baez", "active", "2025-03-01", "2025-04-01", { plan: "pro" }],
    ["zed", "Zed Quill", "suspended", "2025-04-01", null, {}],
    ["tia", "Tia Moss", "active", "2025-05-01", "2025-05-02", {}],
    ["ned", null, "inactive", "2025-05-01", null, {}],
  ];
  for (const [key, name, status, created, lastLogin, appMetadata] of rows) {
    const user = await insertUser(gateway, {
      realmId,
      email: `${key}@list.test`,
      name,
      status,
      createdAt: day(created),
      lastLoginAt: lastLogin ? day(lastLogin) : null,
      appMetadata,
    });
    ids[key] = user.id;
  }
  const prisma = gateway.database.prisma;
  await prisma.userRole.create({ data: { id: newId("userRole"), userId: ids.ada!, roleId: role.id, tenantId: null } });
  await prisma.userRole.create({ data: { id: newId("userRole"), userId: ids.john!, roleId: role.id, tenantId: tenant.id } });
  await prisma.userTenant.createMany({ data: [{ userId: ids.john!, tenantId: tenant.id }, { userId: ids.zed!, tenantId: tenant.id }] });
  await prisma.userApplication.create({ data: { userId: ids.joan!, applicationId: application.id } });
  // Same email as a listed user, but in the default realm.
  ids.stranger = (await insertUser(gateway, { email: "joan@list.test" })).id;
});
afterAll(async () => {
  await gateway.close();
  if (processZone === undefined) delete process.env.TZ;
  else process.env.TZ = processZone;
});

/** What `user(id)` must show for a stored row: its columns as JSON, no password hash. */
function asGraphQL(row: User) {
  const { realmId, passwordHash, signInUnlockedAt, ...columns } = row;
  const iso = (date: Date | null) => date?.toISOString() ?? null;
  return {
    ...columns,
    hasPassword: passwordHash !== null,
    passwordChangedAt: iso(row.passwordChangedAt),
    lastLoginAt: iso(row.lastLoginAt),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

const userQuery = (selection: string) => `query($id: ID!) { user(id: $id) { ${selection} } }`;
async function readUser(id: string, selection = allFields, token = reader) {
  return (await graphqlOk(gateway, token, userQuery(selection), { id })).user;
}
const stored = (id: string) => gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });

describe("user(id)", () => {
  it("returns every column with the value Prisma stored", async () => {
    const { id } = await insertUser(gateway, {
      emailVerified: true,
      phone: "+14155550123",
      phoneVerified: true,
      username: "grace",
      name: "Grace Hopper",
      givenName: "Grace",
      familyName: "Hopper",
      middleName: "Brewster",
      nickname: "amazing",
      picture: "https://cdn.example.com/grace.png",
      connection: "google-oauth2",
      status: "suspended",
      passwordHash: "$argon2id$not-a-real-hash",
      passwordExpired: true,
      passwordTemporary: true,
      passwordChangedAt: new Date("2024-02-29T12:34:56.789Z"),
      userMetadata: { theme: "dark", nested: { list: [1, "two", null, { three: true }] } },
      appMetadata: { plan: "pro", quota: 12.5 },
      customAttributes: { department: "R&D", "ünïcode": "✓" },
      lastLoginAt: new Date("2025-07-04T09:08:07.006Z"),
      lastLoginIp: "2001:db8::1",
      loginsCount: 42,
    });
    const user = await readUser(id);
    expect(user).toEqual(asGraphQL(await stored(id)));
    expect(user).toMatchObject({ hasPassword: true, lastLoginAt: "2025-07-04T09:08:07.006Z", loginsCount: 42 });
  });

  it("returns null for every unset nullable column, and hasPassword false without a hash", async () => {
    const { id } = await insertUser(gateway);
    const user = await readUser(id);
    expect(user).toEqual(asGraphQL(await stored(id)));
    expect(user).toMatchObject({ phone: null, name: null, passwordChangedAt: null, lastLoginAt: null, lastLoginIp: null });
    expect(user).toMatchObject({ hasPassword: false, loginsCount: 0, userMetadata: {}, appMetadata: {}, customAttributes: {} });
  });

  it("reads timestamps as UTC to the millisecond, even across a year boundary", async () => {
    const createdAt = new Date("2025-12-31T23:59:59.999Z");
    const lastLoginAt = new Date("2026-01-01T00:00:00.001Z");
    const { id } = await insertUser(gateway, { createdAt, lastLoginAt, passwordChangedAt: new Date("2025-06-30T22:30:00.500Z") });
    expect(await readUser(id)).toMatchObject({
      createdAt: "2025-12-31T23:59:59.999Z",
      lastLoginAt: "2026-01-01T00:00:00.001Z",
      passwordChangedAt: "2025-06-30T22:30:00.500Z",
    });
  });

  it("shows the same columns whether a relation is selected (Prisma) or not (driver)", async () => {
    const { id } = await insertUser(gateway, {
      name: "Both Paths",
      createdAt: new Date("2025-12-31T23:59:59.999Z"),
      lastLoginAt: new Date("2026-03-29T01:30:00.123Z"),
      passwordHash: "hash",
      userMetadata: { a: { b: [1, 2] } },
      loginsCount: 7,
    });
    const viewer = await insertRole(gateway);
    await gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: id, roleId: viewer.id, tenantId: null } });
    // The admin token: Role fields need roles:read besides users:read.
    const columnsOnly = await readUser(id, allFields, admin);
    const { roles, tenants, ...withRelations } = await readUser(id, `${allFields} roles { id } tenants { id }`, admin);
    expect(roles).toEqual([{ id: viewer.id }]);
    expect(tenants).toEqual([]);
    expect(withRelations).toEqual(columnsOnly);
    expect(columnsOnly).toEqual(asGraphQL(await stored(id)));
  });

  it("is null for an unknown id and for another realm's user", async () => {
    expect(await readUser(newId("user"), "id")).toBeNull();
    expect(await readUser(ids.ada!, "id")).toBeNull();
    expect(await readUser(ids.ada!, "id roles { id }")).toBeNull();
    expect(await readUser(ids.ada!, "email", listRealm.token)).toEqual({ email: "ada@list.test" });
  });

  it("needs users:read", async () => {
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    expectAccessDenied(await graphql(gateway, rolesReader, userQuery("id"), { id: ids.ada }));
  });
});

const listQuery = `query($first: Int, $after: String, $last: Int, $before: String, $offset: Int, $filter: UserFilter, $search: String,
  $orderBy: UserOrder) { users(first: $first, after: $after, last: $last, before: $before, offset: $offset, filter: $filter,
  search: $search, orderBy: $orderBy) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { node { email } } } }`;

const listUsers = (variables: Record<string, unknown>) => graphql(gateway, listRealm.token, listQuery, variables);
/** One page of the list realm, with `keys`: its users by the local part of their email. */
async function page(variables: Record<string, unknown> = {}) {
  const { users } = await graphqlOk(gateway, listRealm.token, listQuery, variables);
  return { ...users, keys: users.edges.map((edge: any) => edge.node.email.split("@")[0]) as string[] };
}
/** createdAt, then id: tia and ned were created at the same instant. */
const creationOrder = () => ["ada", "john", "joan", "zed", ...(ids.tia! < ids.ned! ? ["tia", "ned"] : ["ned", "tia"])];

describe("users", () => {
  it("lists the realm's users by createdAt then id, the same on every call", async () => {
    const first = await page();
    expect(first.keys).toEqual(creationOrder());
    expect((await page()).edges).toEqual(first.edges);
    expect(first.totalCount).toBe(6);
    expect(first.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it("walks forward with first/after, each user once, hasNextPage false on the last page only", async () => {
    const pages: string[][] = [];
    let after: string | null = null;
    for (let more = true; more && pages.length < 10; ) {
      const result = await page({ first: 2, after });
      pages.push(result.keys);
      expect(result.pageInfo.hasPreviousPage).toBe(after !== null);
      ({ hasNextPage: more, endCursor: after } = result.pageInfo);
    }
    const order = creationOrder();
    expect(pages).toEqual([order.slice(0, 2), order.slice(2, 4), order.slice(4, 6)]);
  });

  it("walks backward with last/before, each user once, hasPreviousPage false on the first page only", async () => {
    const pages: string[][] = [];
    let before: string | null = null;
    for (let more = true; more && pages.length < 10; ) {
      const result = await page({ last: 2, before });
      pages.push(result.keys);
      expect(result.pageInfo.hasNextPage).toBe(before !== null);
      ({ hasPreviousPage: more, startCursor: before } = result.pageInfo);
    }
    const order = creationOrder();
    expect(pages).toEqual([order.slice(4, 6), order.slice(2, 4), order.slice(0, 2)]);
  });

  it("skips offset users before the page; totalCount still counts every match", async () => {
    const result = await page({ offset: 2, first: 2 });
    expect(result.keys).toEqual(creationOrder().slice(2, 4));
    expect(result.pageInfo.hasNextPage).toBe(true);
    expect(result.totalCount).toBe(6);
  });

  it("refuses a page of more than 100 users, a negative size and a negative offset as BAD_USER_INPUT", async () => {
    const tooMany = await listUsers({ first: 101 });
    expect(tooMany.status).toBe(400);
    expect(tooMany.errors?.[0]).toMatchObject({ message: "A page holds at most 100 users", extensions: { code: "BAD_USER_INPUT" } });
    expect((await listUsers({ last: 101 })).errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const negative = await listUsers({ offset: -1 });
    expect(negative.errors?.[0]).toMatchObject({ message: "offset must not be negative", extensions: { code: "BAD_USER_INPUT" } });
    expect((await listUsers({ first: -1 })).errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
  });

  it("refuses first and last together as BAD_USER_INPUT, rather than answer Relay's last-of-the-first", async () => {
    for (const variables of [{ first: 2, last: 1 }, { first: 2, last: 1, after: (await page({ first: 1 })).pageInfo.endCursor }]) {
      const result = await listUsers(variables);
      expect(result.status).toBe(400);
      expect(result.data).toBeNull();
      expect(result.errors?.[0]).toMatchObject({
        message: "first and last cannot be combined: page forward with first (and after) or backward with last (and before)",
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
  });

  it("refuses a cursor it did not issue as BAD_USER_INPUT", async () => {
    for (const cursor of ["garbage", Buffer.from('{"id":"x"}').toString("base64url")]) {
      const result = await listUsers({ after: cursor });
      expect(result.status).toBe(400);
      expect(result.errors?.[0]).toMatchObject({
        message: "The cursor is not one this API returned",
        extensions: { code: "BAD_USER_INPUT" },
      });
    }
  });

  it("refuses a cursor issued for another order as BAD_USER_INPUT", async () => {
    const byEmail = await page({ orderBy: { field: "EMAIL" }, first: 1 });
    const result = await listUsers({ after: byEmail.pageInfo.endCursor });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({
      message: expect.stringContaining("belongs to the order email asc"),
      extensions: { code: "BAD_USER_INPUT" },
    });
  });

  it("refuses a forged cursor whose sort value is not one of the order's column", async () => {
    const forged = Buffer.from(JSON.stringify(["createdAt", "asc", "x", "y"])).toString("base64url");
    const result = await listUsers({ after: forged });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
  });

  it("orders by email or by lower-cased name, users without a name last when descending, across pages", async () => {
    expect((await page({ orderBy: { field: "EMAIL" } })).keys).toEqual(["ada", "joan", "john", "ned", "tia", "zed"]);
    const nameDesc = { orderBy: { field: "NAME", direction: "DESC" }, first: 3 };
    const first = await page(nameDesc);
    expect(first.keys).toEqual(["zed", "tia", "john"]);
    expect((await page({ ...nameDesc, after: first.pageInfo.endCursor })).keys).toEqual(["joan", "ada", "ned"]);
  });

  // Functions, since the role, tenant and application exist only once beforeAll has run.
  it.each<[string, () => Record<string, unknown>, string[]]>([
    ["status", () => ({ status: ["suspended", "inactive"] }), ["zed", "ned"]],
    ["roleIds, held realm-wide or in a tenant", () => ({ roleIds: [role.id] }), ["ada", "john"]],
    ["tenantId", () => ({ tenantId: tenant.id }), ["john", "zed"]],
    ["applicationId", () => ({ applicationId: application.id }), ["joan"]],
    ["email, in any letter case", () => ({ email: "JOAN@List.Test" }), ["joan"]],
    [
      "createdAfter (inclusive) and createdBefore (exclusive)",
      () => ({ createdAfter: "2025-02-01T00:00:00Z", createdBefore: "2025-04-01T00:00:00Z" }),
      ["john", "joan"],
    ],
    ["lastLoginAfter, leaving out users who never signed in", () => ({ lastLoginAfter: "2025-03-15T00:00:00Z" }), ["joan", "tia"]],
    ["lastLoginBefore, leaving out users who never signed in", () => ({ lastLoginBefore: "2025-03-15T00:00:00Z" }), ["ada"]],
  ])("filters by %s", async (_rule, filter, expected) => {
    const result = await page({ filter: filter() });
    expect(result.keys).toEqual(expected);
    expect(result.totalCount).toBe(expected.length);
  });

  it.each([
    ['email:"joan@list.test"', ["joan"]],
    ["name:jo*", ["john", "joan"]],
    ['app_metadata.plan:"pro"', ["ada", "joan"]],
    ['name:jo* AND NOT app_metadata.plan:"pro"', ["john"]],
    ["status:suspended OR status:inactive", ["zed", "ned"]],
    ["NOT name:*", ["ned"]],
  ])("searches %s", async (search, expected) => {
    const result = await page({ search });
    expect(result.keys).toEqual(expected);
    expect(result.totalCount).toBe(expected.length);
  });

  it("refuses a malformed search as INVALID_SEARCH with the position where it broke", async () => {
    const result = await listUsers({ search: "name:jo* OR (status:active" });
    expect(result.status).toBe(400);
    expect(result.errors?.[0]).toMatchObject({
      message: 'Invalid search: missing ")" to close the "(" at position 12',
      extensions: { code: "INVALID_SEARCH", position: 12 },
    });
  });

  it("never lists another realm's users, even with the same email", async () => {
    const sameEmail = `{ users(filter: { email: "joan@list.test" }) { totalCount edges { node { id } } } }`;
    const inDefaultRealm = await graphqlOk(gateway, reader, sameEmail);
    expect(inDefaultRealm.users).toEqual({ totalCount: 1, edges: [{ node: { id: ids.stranger } }] });
    expect((await page({ filter: { email: "joan@list.test" } })).keys).toEqual(["joan"]);
  });

  it("needs users:read", async () => {
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    expectAccessDenied(await graphql(gateway, rolesReader, listQuery, {}));
  });
});
