// Seed 001's batch create and batch delete: one result per row, in input order; a bad row never
// hides or blocks the others.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { countRows } from "../../../test/support/table-rows.js";
import { auditEventsFor, mutateUser, otherRealmToken, storedUser, tokenWithScopes, uniqueEmail } from "../../../test/support/user-fixtures.js";

let gateway: TestGateway;
let admin: string;
let readOnly: string;
let writerWithoutRoles: string;
let otherRealm: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  readOnly = await tokenWithScopes(gateway, admin, ["users:read"]);
  writerWithoutRoles = await tokenWithScopes(gateway, admin, ["users:read", "users:write"]);
  otherRealm = await otherRealmToken(gateway, admin, "elsewhere");
});
afterAll(() => gateway.close());

const db = () => gateway.database.prisma;
/** 500 rows are 500 transactions: generous on a loaded machine (correctness, not speed, is tested here). */
const fullBatch = { timeout: 180_000 };
const rowError = `error { __typename message code ... on ValidationError { field } ... on ConflictError { conflictField: field } ... on NotFoundError { entity id } }`;

const createUsers = (users: unknown[], token = admin) =>
  graphql(
    gateway,
    token,
    `mutation($input: CreateUsersInput!) { createUsers(input: $input) { __typename
      ... on CreateUsersPayload { createdCount failedCount results { index user { id email status hasPassword roles { name } } ${rowError} } }
      ... on ValidationError { field message } } }`,
    { input: { users } },
  );

const deleteUsers = (ids: string[], token = admin) =>
  graphql(
    gateway,
    token,
    `mutation($input: DeleteUsersInput!) { deleteUsers(input: $input) { __typename
      ... on DeleteUsersPayload { deletedCount failedCount results { index id deleted ${rowError} } }
      ... on ValidationError { field message } } }`,
    { input: { ids } },
  );

describe("createUsers", () => {
  it("creates the good rows and reports each bad row with its index and its own error", async () => {
    const taken = uniqueEmail("taken");
    await mutateUser(gateway, admin, "createUser", { email: taken });
    const twice = uniqueEmail("twice");
    const role = await db().role.create({ data: { id: `rol_${"0".repeat(25)}2`, realmId: gateway.defaultRealmId, name: "batch-role" } });
    const good = [uniqueEmail("good"), uniqueEmail("good"), uniqueEmail("good")];
    const result = await createUsers([
      { email: good[0], password: "batch password 0" },
      { email: "broken" },
      { email: taken.toUpperCase() },
      { email: twice },
      { email: twice.toUpperCase() },
      { email: good[1], password: "short" },
      { email: good[1], roleIds: ["rol_00000000000000000000000000"] },
      { email: good[2], status: "active", roleIds: [role.id] },
    ]);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    const payload = result.data.createUsers;
    expect(payload).toMatchObject({ __typename: "CreateUsersPayload", createdCount: 3, failedCount: 5 });
    expect(payload.results.map((row: any) => row.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const outcome = payload.results.map((row: any) => row.user?.email ?? `${row.error.__typename}:${row.error.field ?? row.error.conflictField ?? row.error.entity}`);
    expect(outcome).toEqual([
      good[0],
      "ValidationError:input.users.1.email",
      "ConflictError:input.users.2.email",
      twice,
      "ConflictError:input.users.4.email",
      "ValidationError:input.users.5.password",
      "NotFoundError:Role",
      good[2],
    ]);
    expect(payload.results[0].user).toMatchObject({ status: "invited", hasPassword: true });
    expect(payload.results[7].user).toMatchObject({ status: "active", roles: [{ name: "batch-role" }] });
    // Each created row is committed with an audit event of its own.
    for (const row of [0, 3, 7]) {
      const id = payload.results[row].user.id;
      expect(await storedUser(gateway, id)).not.toBeNull();
      expect((await auditEventsFor(gateway, id)).map((event) => event.action)).toEqual(["user.create"]);
    }
    expect(await db().user.count({ where: { email: good[1] } })).toBe(0);
  });

  it("accepts 500 rows", fullBatch, async () => {
    const before = await db().user.count();
    const result = await createUsers(Array.from({ length: 500 }, (_, index) => ({ username: `bulk-${index}` })));
    expect(result.data.createUsers).toMatchObject({ createdCount: 500, failedCount: 0 });
    expect(await db().user.count()).toBe(before + 500);
  });

  it("refuses more than 500 rows as a whole and writes nothing", async () => {
    const before = await countRows(db());
    const result = await createUsers(Array.from({ length: 501 }, (_, index) => ({ username: `over-${index}` })));
    expect(result.data.createUsers).toMatchObject({ __typename: "ValidationError", field: "input.users" });
    expect(await countRows(db())).toEqual(before);
  });

  it("needs users:write, and users:roles when a row grants roles, before writing any row", async () => {
    const before = await countRows(db());
    const denied = await createUsers([{ email: uniqueEmail() }], readOnly);
    expect(denied.status).toBe(403);
    expect(denied.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    const role = await db().role.findFirstOrThrow({ where: { name: "batch-role" } });
    const noRoles = await createUsers([{ email: uniqueEmail() }, { email: uniqueEmail(), roleIds: [role.id] }], writerWithoutRoles);
    expect(noRoles.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await countRows(db())).toEqual(before);
  });
});

describe("deleteUsers", () => {
  it("deletes the users of the realm and reports unknown ids and other realms' ids per row", async () => {
    const mine = [
      await mutateUser(gateway, admin, "createUser", { email: uniqueEmail("gone") }),
      await mutateUser(gateway, admin, "createUser", { email: uniqueEmail("gone"), password: "with a password" }),
    ];
    const theirs = await mutateUser(gateway, otherRealm.token, "createUser", { email: uniqueEmail("theirs") });
    await db().session.create({
      data: { id: `ses_${"3".repeat(26)}`, realmId: gateway.defaultRealmId, userId: mine[1].id, expiresAt: new Date(Date.now() + 60_000) },
    });
    const unknown = "usr_00000000000000000000000000";
    const result = await deleteUsers([mine[0].id, unknown, theirs.id, mine[1].id]);
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data.deleteUsers).toMatchObject({ __typename: "DeleteUsersPayload", deletedCount: 2, failedCount: 2 });
    expect(result.data.deleteUsers.results).toEqual([
      { index: 0, id: mine[0].id, deleted: true, error: null },
      { index: 1, id: unknown, deleted: false, error: expect.objectContaining({ __typename: "NotFoundError", entity: "User", id: unknown }) },
      { index: 2, id: theirs.id, deleted: false, error: expect.objectContaining({ __typename: "NotFoundError", id: theirs.id }) },
      { index: 3, id: mine[1].id, deleted: true, error: null },
    ]);
    for (const user of mine) {
      expect(await storedUser(gateway, user.id)).toBeNull();
      expect((await auditEventsFor(gateway, user.id)).map((event) => event.action)).toEqual(["user.create", "user.delete"]);
    }
    expect(await db().session.count({ where: { userId: mine[1].id } })).toBe(0);
    expect(await storedUser(gateway, theirs.id)).not.toBeNull();
  });

  it("refuses more than 500 ids, and a caller without users:write, deleting nothing", async () => {
    const user = await mutateUser(gateway, admin, "createUser", { email: uniqueEmail("kept") });
    const before = await countRows(db());
    const tooMany = await deleteUsers(Array.from({ length: 501 }, () => user.id));
    expect(tooMany.data.deleteUsers).toMatchObject({ __typename: "ValidationError", field: "input.ids" });
    const denied = await deleteUsers([user.id], readOnly);
    expect(denied.status).toBe(403);
    expect(denied.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await countRows(db())).toEqual(before);
  });

  it("deletes 500 users at once", fullBatch, async () => {
    const created = await graphqlOk(
      gateway,
      admin,
      `mutation($input: CreateUsersInput!) { createUsers(input: $input) { ... on CreateUsersPayload { results { user { id } } } } }`,
      { input: { users: Array.from({ length: 500 }, (_, index) => ({ username: `doomed-${index}` })) } },
    );
    const ids = created.createUsers.results.map((row: any) => row.user.id);
    const result = await deleteUsers(ids);
    expect(result.data.deleteUsers).toMatchObject({ deletedCount: 500, failedCount: 0 });
    expect(await db().user.count({ where: { id: { in: ids } } })).toBe(0);
  });
});
