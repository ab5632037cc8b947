// Seed 001's create, update (partial), replace (full overwrite), status and delete of one user,
// through /graphql as a management client calls them.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { insertRole } from "../../../test/support/directory-rows.js";
import { countRows } from "../../../test/support/table-rows.js";
import {
  auditEventsFor,
  mutate,
  mutateUser,
  otherRealmToken,
  storedUser,
  tokenWithScopes,
  uniqueEmail,
  userFields,
} from "../../../test/support/user-fixtures.js";

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

const createUser = (input: Record<string, unknown>, token = admin) => mutate(gateway, token, "createUser", input);
const newUser = (input: Record<string, unknown> = {}) => mutateUser(gateway, admin, "createUser", { email: uniqueEmail(), ...input });
const db = () => gateway.database.prisma;

describe("createUser", () => {
  it("creates an invited user with the given profile, email and login id lower-cased", async () => {
    const user = await mutateUser(gateway, admin, "createUser", {
      email: "Jane.Doe@Example.COM",
      emailVerified: true,
      phone: "+1 (415) 555-0123",
      username: "JaneD",
      name: "Jane Doe",
      givenName: "Jane",
      familyName: "Doe",
      middleName: "Q",
      nickname: "jd",
      picture: "https://cdn.example.com/jane.png",
      userMetadata: { theme: "dark" },
      appMetadata: { plan: "pro" },
      customAttributes: { department: "R&D" },
    });
    expect(user).toMatchObject({
      id: expect.stringMatching(/^usr_/),
      email: "jane.doe@example.com",
      emailVerified: true,
      phone: "+14155550123",
      phoneVerified: false,
      username: "janed",
      name: "Jane Doe",
      givenName: "Jane",
      familyName: "Doe",
      middleName: "Q",
      nickname: "jd",
      picture: "https://cdn.example.com/jane.png",
      connection: "usergate",
      status: "invited",
      hasPassword: false,
      passwordChangedAt: null,
      userMetadata: { theme: "dark" },
      appMetadata: { plan: "pro" },
      customAttributes: { department: "R&D" },
    });
  });

  it("stores a given password as an argon2id hash and returns neither", async () => {
    const password = "correct horse battery staple";
    const result = await graphqlOk(
      gateway,
      admin,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { ... on UserPayload { user { ${userFields} } } } }`,
      { input: { email: uniqueEmail(), password, status: "active" } },
    );
    const user = result.createUser.user;
    expect(user).toMatchObject({ hasPassword: true, status: "active", passwordExpired: false, passwordTemporary: false });
    expect(user.passwordChangedAt).toEqual(expect.any(String));
    const stored = await storedUser(gateway, user.id);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(stored!.passwordHash).not.toContain(password);
    expect(JSON.stringify(result)).not.toContain("argon2");
    expect(JSON.stringify(result)).not.toContain(password);
  });

  it("records one audit event with the new values and the password redacted", async () => {
    const user = await newUser({ name: "Audited", password: "a-long-password", appMetadata: { plan: "free" } });
    const events = await auditEventsFor(gateway, user.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: "user.create", targetType: "User", actorType: "application" });
    expect(events[0]!.changes).toMatchObject({
      email: { before: null, after: user.email },
      name: { before: null, after: "Audited" },
      appMetadata: { before: null, after: { plan: "free" } },
      status: { before: null, after: "invited" },
      password: { before: "[redacted]", after: "[redacted]" },
    });
    expect(JSON.stringify(events[0]!.changes)).not.toContain("a-long-password");
  });

  it("grants realm-wide roles and tenant memberships given with the user", async () => {
    const role = await db().role.create({ data: { id: `rol_${"0".repeat(25)}1`, realmId: gateway.defaultRealmId, name: "viewer" } });
    const tenant = await db().tenant.create({ data: { id: `ten_${"0".repeat(25)}1`, realmId: gateway.defaultRealmId, name: "Acme" } });
    const result = await graphqlOk(
      gateway,
      admin,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { ... on UserPayload { user { id roles { name } tenants { name } } } } }`,
      { input: { email: uniqueEmail(), roleIds: [role.id, role.id], tenantIds: [tenant.id] } },
    );
    expect(result.createUser.user).toMatchObject({ roles: [{ name: "viewer" }], tenants: [{ name: "Acme" }] });
  });

  it("takes a connection name for the Auth0-style user_id", async () => {
    const user = await newUser({ connection: "Username-Password-Authentication" });
    expect(user.connection).toBe("Username-Password-Authentication");
  });

  it.each([
    ["the same email", (email: string) => ({ email })],
    ["the email in other letter case", (email: string) => ({ email: email.toUpperCase() })],
  ])("refuses %s as a conflict on input.email and writes nothing", async (_label, again) => {
    const email = uniqueEmail("taken");
    await newUser({ email });
    const before = await countRows(db());
    const result = await createUser({ ...again(email), name: "Second" });
    expect(result).toMatchObject({ __typename: "ConflictError", code: "conflict", field: "input.email" });
    expect(await countRows(db())).toEqual(before);
  });

  it("refuses a login id taken in any letter case as a conflict on input.username", async () => {
    await newUser({ username: "Taken.Login" });
    const result = await createUser({ email: uniqueEmail(), username: "TAKEN.login" });
    expect(result).toMatchObject({ __typename: "ConflictError", field: "input.username" });
  });

  it("lets exactly one of two concurrent creates of the same email succeed", async () => {
    const email = uniqueEmail("race");
    const results = await Promise.all([createUser({ email, name: "A" }), createUser({ email: email.toUpperCase(), name: "B" })]);
    expect(results.map((result) => result.__typename).sort()).toEqual(["ConflictError", "UserPayload"]);
    expect(results.find((result) => result.__typename === "ConflictError")).toMatchObject({ field: "input.email" });
    expect(await db().user.count({ where: { email } })).toBe(1);
    expect(await db().auditEvent.count({ where: { action: "user.create", changes: { path: ["email", "after"], equals: email } } })).toBe(1);
  });

  it.each([
    ["an invalid email", { email: "not-an-email" }, "input.email"],
    ["no email, login id or phone", { email: null, name: "Nobody" }, "input.email"],
    ["a phone number that is not E.164", { phone: "555-0123" }, "input.phone"],
    ["a login id with spaces", { username: "jane doe" }, "input.username"],
    ["a picture that is not an http(s) URL", { picture: "javascript:alert(1)" }, "input.picture"],
    ["a relative picture URL", { picture: "/me.png" }, "input.picture"],
    ["an empty name", { name: "  " }, "input.name"],
    ["a name over 200 characters", { name: "x".repeat(201) }, "input.name"],
    ["user metadata over 16 KB", { userMetadata: { blob: "x".repeat(17 * 1024) } }, "input.userMetadata"],
    ["custom attributes over 16 KB", { customAttributes: { blob: "x".repeat(17 * 1024) } }, "input.customAttributes"],
    ["a password under 8 characters", { password: "short" }, "input.password"],
    ["a password over 256 bytes", { password: "é".repeat(129) }, "input.password"],
    ["a password equal to the email", { email: "same@example.test", password: "SAME@example.test" }, "input.password"],
    ["a password equal to the login id", { username: "longlogin", password: "LongLogin" }, "input.password"],
    ["a connection with a |", { connection: "auth0|x" }, "input.connection"],
  ])("refuses %s as a validation error and writes nothing", async (_label, input, field) => {
    const before = await countRows(db());
    const result = await createUser({ email: uniqueEmail(), ...input });
    expect(result).toMatchObject({ __typename: "ValidationError", code: "validation_failed", field });
    expect(result.message).toEqual(expect.any(String));
    expect(await countRows(db())).toEqual(before);
  });

  it("reports an unknown role as not found and writes nothing", async () => {
    const before = await countRows(db());
    const result = await createUser({ email: uniqueEmail(), roleIds: ["rol_00000000000000000000000000"] });
    expect(result).toMatchObject({ __typename: "NotFoundError", entity: "Role", id: "rol_00000000000000000000000000" });
    expect(await countRows(db())).toEqual(before);
  });

  it("needs users:write, and users:roles as well to grant roles", async () => {
    const before = await countRows(db());
    const denied = await graphql(gateway, readOnly, `mutation { createUser(input: { email: "x@example.test" }) { __typename } }`);
    expect(denied.status).toBe(403);
    expect(denied.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    const role = await db().role.findFirstOrThrow({ where: { name: "viewer" } });
    const noRoles = await graphql(
      gateway,
      writerWithoutRoles,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }`,
      { input: { email: "y@example.test", roleIds: [role.id] } },
    );
    expect(noRoles.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await countRows(db())).toEqual(before);
    expect((await createUser({ email: uniqueEmail() }, writerWithoutRoles)).__typename).toBe("UserPayload");
  });
});

describe("updateUser (partial)", () => {
  it("changes the fields given, clears those sent as null and keeps the absent ones", async () => {
    const user = await newUser({ name: "Before", nickname: "nick", phone: "+4930123456", userMetadata: { a: 1, b: 2 } });
    const updated = await mutateUser(gateway, admin, "updateUser", { id: user.id, name: "After", nickname: null, userMetadata: { c: 3 } });
    expect(updated).toMatchObject({ name: "After", nickname: null, phone: "+4930123456", email: user.email, userMetadata: { c: 3 } });
    const events = await auditEventsFor(gateway, user.id);
    expect(events.at(-1)).toMatchObject({ action: "user.update" });
    expect(events.at(-1)!.changes).toEqual({
      name: { before: "Before", after: "After" },
      nickname: { before: "nick", after: null },
      userMetadata: { before: { a: 1, b: 2 }, after: { c: 3 } },
    });
  });

  it("marks a changed email unverified unless the same input verifies it", async () => {
    const user = await newUser({ emailVerified: true, phone: "+4930555000", phoneVerified: true });
    const changed = await mutateUser(gateway, admin, "updateUser", { id: user.id, email: uniqueEmail("New") });
    expect(changed).toMatchObject({ emailVerified: false, phoneVerified: true });
    const verified = await mutateUser(gateway, admin, "updateUser", { id: user.id, email: uniqueEmail(), emailVerified: true });
    expect(verified.emailVerified).toBe(true);
  });

  it("sets the status and an active password; null removes the password", async () => {
    const user = await newUser();
    const updated = await mutateUser(gateway, admin, "updateUser", { id: user.id, status: "active", password: "a fine new password" });
    expect(updated).toMatchObject({ status: "active", hasPassword: true, passwordTemporary: false });
    expect((await storedUser(gateway, user.id))!.passwordHash).toMatch(/^\$argon2id\$/);
    const removed = await mutateUser(gateway, admin, "updateUser", { id: user.id, password: null });
    expect(removed).toMatchObject({ hasPassword: false, passwordChangedAt: null });
    expect((await auditEventsFor(gateway, user.id)).at(-1)!.changes).toMatchObject({ password: { before: "[redacted]", after: "[redacted]" } });
  });

  it("refuses input that would leave the user without email, login id and phone", async () => {
    const user = await newUser();
    const result = await mutate(gateway, admin, "updateUser", { id: user.id, email: null });
    expect(result).toMatchObject({ __typename: "ValidationError", field: "input.email" });
    expect((await storedUser(gateway, user.id))!.email).toBe(user.email);
  });

  it("merges metadata keys into the stored objects: a key given null is removed", async () => {
    const user = await newUser({ userMetadata: { theme: "dark", obsolete: true }, appMetadata: { plan: "free", seats: 3 } });
    const merged = await mutateUser(gateway, admin, "updateUser", {
      id: user.id,
      mergeUserMetadata: { obsolete: null, locale: "fr" },
      mergeAppMetadata: { plan: "pro" },
    });
    expect(merged).toMatchObject({ userMetadata: { theme: "dark", locale: "fr" }, appMetadata: { plan: "pro", seats: 3 } });
  });

  it("applies concurrent merges of different keys one after the other: none is lost", async () => {
    const user = await newUser({ appMetadata: { base: true } });
    const keys = Array.from({ length: 8 }, (_, i) => `key${i}`);
    await Promise.all(keys.map((key) => mutateUser(gateway, admin, "updateUser", { id: user.id, mergeAppMetadata: { [key]: key } })));
    expect((await storedUser(gateway, user.id))!.appMetadata).toEqual({ base: true, ...Object.fromEntries(keys.map((key) => [key, key])) });
  });

  it.each([
    ["a null status", { status: null }, "input.status"],
    ["a metadata object and a merge into it", { appMetadata: {}, mergeAppMetadata: { a: 1 } }, "input.mergeAppMetadata"],
    ["a null merge", { mergeUserMetadata: null }, "input.mergeUserMetadata"],
    ["a merge beyond the size limit", { mergeUserMetadata: { blob: "x".repeat(20_000) } }, "input.userMetadata"],
    ["an invalid email", { email: "nope" }, "input.email"],
    ["a password equal to the new email", { email: "mine@example.test", password: "MINE@EXAMPLE.TEST" }, "input.password"],
  ])("refuses %s and changes nothing", async (_label, input, field) => {
    const user = await newUser({ name: "Unchanged" });
    const before = await countRows(db());
    const result = await mutate(gateway, admin, "updateUser", { id: user.id, name: "Changed", ...input });
    expect(result).toMatchObject({ __typename: "ValidationError", field });
    expect(await countRows(db())).toEqual(before);
    expect((await storedUser(gateway, user.id))!.name).toBe("Unchanged");
  });

  it("refuses an email another user holds in any letter case", async () => {
    const holder = await newUser();
    const user = await newUser({ name: "Mover" });
    const result = await mutate(gateway, admin, "updateUser", { id: user.id, email: holder.email.toUpperCase(), name: "Moved" });
    expect(result).toMatchObject({ __typename: "ConflictError", field: "input.email" });
    expect(await storedUser(gateway, user.id)).toMatchObject({ email: user.email, name: "Mover" });
  });

  it("replaces the realm-wide roles with the fields, in one transaction and one audit event", async () => {
    const [kept, dropped, added] = [await insertRole(gateway, { name: "upd-kept" }), await insertRole(gateway, { name: "upd-dropped" }), await insertRole(gateway, { name: "upd-added" })];
    const user = await newUser({ name: "Roles Before", roleIds: [kept.id, dropped.id] });
    const updated = await mutate(gateway, admin, "updateUser", { id: user.id, name: "Roles After", roleIds: [kept.id, added.id] }, "... on UserPayload { user { name roles { name } } }");
    expect(updated.user.name).toBe("Roles After");
    expect(updated.user.roles.map((role: { name: string }) => role.name).sort()).toEqual(["upd-added", "upd-kept"]);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.update",
      changes: { name: { before: "Roles Before", after: "Roles After" }, roles: { before: ["upd-dropped", "upd-kept"], after: ["upd-added", "upd-kept"] } },
    });
  });

  it("leaves the roles as they were when the field change fails", async () => {
    const [held, wanted] = [await insertRole(gateway, { name: "upd-held" }), await insertRole(gateway, { name: "upd-wanted" })];
    const holder = await newUser();
    const user = await newUser({ roleIds: [held.id] });
    const result = await mutate(gateway, admin, "updateUser", { id: user.id, email: holder.email, roleIds: [wanted.id] });
    expect(result).toMatchObject({ __typename: "ConflictError", field: "input.email" });
    const grants = await db().userRole.findMany({ where: { userId: user.id } });
    expect(grants.map((grant) => grant.roleId)).toEqual([held.id]);
  });

  it("needs users:roles to change roles, and changes nothing without it", async () => {
    const role = await insertRole(gateway, { name: "upd-forbidden" });
    const user = await newUser({ name: "No Roles" });
    const before = await countRows(db());
    const response = await graphql(gateway, writerWithoutRoles, "mutation($input: UpdateUserInput!) { updateUser(input: $input) { __typename } }", {
      input: { id: user.id, name: "Renamed", roleIds: [role.id] },
    });
    expect(response.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await countRows(db())).toEqual(before);
  });

  it("keeps the user's own email when it is sent again", async () => {
    const user = await newUser({ emailVerified: true });
    const same = await mutateUser(gateway, admin, "updateUser", { id: user.id, email: user.email.toUpperCase() });
    expect(same).toMatchObject({ email: user.email, emailVerified: true });
  });
});

describe("replaceUser (seed 001 full overwrite)", () => {
  it("clears every profile field not given and keeps status, password and connection", async () => {
    const user = await newUser({
      phone: "+4930111222",
      name: "Full",
      givenName: "F",
      emailVerified: true,
      userMetadata: { keep: false },
      password: "replace-me-not",
      status: "active",
      connection: "legacy",
    });
    const replaced = await mutateUser(gateway, admin, "replaceUser", { id: user.id, email: user.email, name: "Only Name" });
    expect(replaced).toMatchObject({
      email: user.email,
      emailVerified: false,
      phone: null,
      name: "Only Name",
      givenName: null,
      userMetadata: {},
      status: "active",
      hasPassword: true,
      connection: "legacy",
    });
    const changes = (await auditEventsFor(gateway, user.id)).at(-1)!.changes as Record<string, unknown>;
    expect(Object.keys(changes).sort()).toEqual(["emailVerified", "givenName", "name", "phone", "userMetadata"]);
  });

  it("refuses to clear every identifier", async () => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "replaceUser", { id: user.id, name: "x" })).toMatchObject({ __typename: "ValidationError", field: "input.email" });
  });
});

describe("setUserStatus", () => {
  it.each(["active", "suspended", "inactive", "invited"])("sets the status to %s", async (status) => {
    const user = await newUser();
    const updated = await mutateUser(gateway, admin, "setUserStatus", { id: user.id, status });
    expect(updated.status).toBe(status);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({ action: "user.status.update" });
  });

  it("ends the sessions of a user it suspends", async () => {
    const user = await newUser({ status: "active" });
    await db().session.create({
      data: { id: `ses_${"1".repeat(26)}`, realmId: gateway.defaultRealmId, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    await mutateUser(gateway, admin, "setUserStatus", { id: user.id, status: "suspended" });
    expect(await db().session.count({ where: { userId: user.id, revokedAt: null } })).toBe(0);
    expect((await auditEventsFor(gateway, user.id)).at(-1)!.changes).toEqual({
      status: { before: "active", after: "suspended" },
      activeSessions: { before: 1, after: 0 },
    });
  });
});

describe("deleteUser", () => {
  it("deletes the user with its sessions, roles and memberships, and audits it", async () => {
    const role = await db().role.findFirstOrThrow({ where: { name: "viewer" } });
    const tenant = await db().tenant.findFirstOrThrow({ where: { name: "Acme" } });
    const user = await newUser({ roleIds: [role.id], tenantIds: [tenant.id] });
    await db().session.create({
      data: { id: `ses_${"2".repeat(26)}`, realmId: gateway.defaultRealmId, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) },
    });
    const result = await mutate(gateway, admin, "deleteUser", { id: user.id }, "... on DeletePayload { deletedId }");
    expect(result).toEqual({ __typename: "DeletePayload", deletedId: user.id });
    expect(await storedUser(gateway, user.id)).toBeNull();
    expect(await db().session.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().userRole.count({ where: { userId: user.id } })).toBe(0);
    expect(await db().userTenant.count({ where: { userId: user.id } })).toBe(0);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.delete",
      changes: { email: { before: user.email, after: null } },
    });
    const again = await mutate(gateway, admin, "deleteUser", { id: user.id }, "");
    expect(again).toMatchObject({ __typename: "NotFoundError", entity: "User", id: user.id });
  });
});

describe("every mutation of one user", () => {
  const operations: Array<[string, (id: string) => Record<string, unknown>]> = [
    ["updateUser", (id) => ({ id, name: "Intruder" })],
    ["replaceUser", (id) => ({ id, email: "intruder@example.test" })],
    ["setUserStatus", (id) => ({ id, status: "suspended" })],
    ["deleteUser", (id) => ({ id })],
  ];

  it.each(operations)("%s reports an unknown id as not found", async (name, input) => {
    const result = await mutate(gateway, admin, name, input("usr_00000000000000000000000000"), "");
    expect(result).toMatchObject({ __typename: "NotFoundError", entity: "User", id: "usr_00000000000000000000000000" });
  });

  it.each(operations)("%s treats a user of another realm as not found and leaves it alone", async (name, input) => {
    const theirs = await mutateUser(gateway, otherRealm.token, "createUser", { email: uniqueEmail("theirs"), name: "Theirs" });
    const before = await countRows(db());
    const result = await mutate(gateway, admin, name, input(theirs.id), "");
    expect(result).toMatchObject({ __typename: "NotFoundError", entity: "User", id: theirs.id });
    expect(await storedUser(gateway, theirs.id)).toMatchObject({ name: "Theirs", status: "invited", realmId: otherRealm.realmId });
    expect(await countRows(db())).toEqual(before);
  });

  it.each(operations)("%s needs users:write", async (name, input) => {
    const user = await newUser({ name: "Guarded" });
    const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
    const result = await graphql(gateway, readOnly, `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`, { input: input(user.id) });
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await storedUser(gateway, user.id)).toMatchObject({ name: "Guarded", status: "invited" });
  });
});

describe("the schema", () => {
  it("has no field that could return a password or a hash", async () => {
    const introspection = await graphqlOk(gateway, admin, `{ __schema { types { name fields { name } } } }`);
    const fields: string[] = introspection.__schema.types.flatMap((type: any) => (type.fields ?? []).map((field: any) => `${type.name}.${field.name}`));
    expect(fields.filter((field) => /hash/i.test(field))).toEqual([]);
    expect(fields.filter((field) => /^User\..*password/i.test(field)).sort()).toEqual([
      "User.hasPassword",
      "User.passwordChangedAt",
      "User.passwordExpired",
      "User.passwordTemporary",
    ]);
  });
});
