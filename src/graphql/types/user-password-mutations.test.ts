// Seed 001's password operations set by an administrator: expire, set active, set temporary.
// Passwords are stored only as argon2id hashes and never leave the server in any form.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { countRows, everyRowAsText } from "../../../test/support/table-rows.js";
import { auditEventsFor, mutate, mutateUser, otherRealmToken, storedUser, tokenWithScopes, uniqueEmail, userFields } from "../../../test/support/user-fixtures.js";
import { verifyPassword } from "../../services/passwords.js";

let gateway: TestGateway;
let admin: string;
let readOnly: string;
let otherRealm: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  readOnly = await tokenWithScopes(gateway, admin, ["users:read"]);
  otherRealm = await otherRealmToken(gateway, admin, "elsewhere");
});
afterAll(() => gateway.close());

const db = () => gateway.database.prisma;
const newUser = (input: Record<string, unknown> = {}) => mutateUser(gateway, admin, "createUser", { email: uniqueEmail(), ...input });

describe("setUserPassword", () => {
  it("stores a new argon2id hash that verifies, and clears the expired and temporary flags", async () => {
    const user = await newUser({ password: "the first password" });
    await mutateUser(gateway, admin, "setUserTemporaryPassword", { id: user.id, password: "a temporary one" });
    await mutateUser(gateway, admin, "expireUserPassword", { id: user.id });
    const before = await storedUser(gateway, user.id);
    const updated = await mutateUser(gateway, admin, "setUserPassword", { id: user.id, password: "the second password" });
    expect(updated).toMatchObject({ hasPassword: true, passwordExpired: false, passwordTemporary: false });
    expect(new Date(updated.passwordChangedAt).getTime()).toBeGreaterThan(before!.passwordChangedAt!.getTime());
    const stored = await storedUser(gateway, user.id);
    expect(stored!.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored!.passwordHash).not.toBe(before!.passwordHash);
    expect(await verifyPassword(stored!.passwordHash!, "the second password")).toBe(true);
    expect(await verifyPassword(stored!.passwordHash!, "the first password")).toBe(false);
  });

  it("audits the change with the password redacted", async () => {
    const user = await newUser();
    await mutateUser(gateway, admin, "setUserPassword", { id: user.id, password: "audited password" });
    const event = (await auditEventsFor(gateway, user.id)).at(-1)!;
    expect(event).toMatchObject({ action: "user.password.set" });
    expect(event.changes).toMatchObject({ password: { before: "[redacted]", after: "[redacted]" } });
    expect(JSON.stringify(event.changes)).not.toMatch(/audited password|argon2/);
  });

  it("sets a password for a user who had none", async () => {
    const user = await newUser();
    expect(user.hasPassword).toBe(false);
    expect(await mutateUser(gateway, admin, "setUserPassword", { id: user.id, password: "first of its kind" })).toMatchObject({ hasPassword: true });
  });

  it.each([
    ["shorter than 8 characters", () => "1234567"],
    ["longer than 256 bytes", () => "€".repeat(86)],
    ["the user's email in other letter case", (user: any) => user.email.toUpperCase()],
    ["the user's login id", (user: any) => user.username],
  ])("refuses a password %s and changes nothing", async (_label, password) => {
    const user = await newUser({ username: `login-${Math.random().toString(36).slice(2, 10)}`, password: "original password" });
    const before = await countRows(db());
    const stored = await storedUser(gateway, user.id);
    const result = await mutate(gateway, admin, "setUserPassword", { id: user.id, password: password(user) });
    expect(result).toMatchObject({ __typename: "ValidationError", field: "input.password" });
    expect(await storedUser(gateway, user.id)).toEqual(stored);
    expect(await countRows(db())).toEqual(before);
  });
});

describe("setUserTemporaryPassword", () => {
  it("sets a password marked temporary", async () => {
    const user = await newUser();
    const updated = await mutateUser(gateway, admin, "setUserTemporaryPassword", { id: user.id, password: "change me soon" });
    expect(updated).toMatchObject({ hasPassword: true, passwordTemporary: true, passwordExpired: false });
    expect(await verifyPassword((await storedUser(gateway, user.id))!.passwordHash!, "change me soon")).toBe(true);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({ action: "user.password.setTemporary" });
  });

  it("applies the same policy", async () => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "setUserTemporaryPassword", { id: user.id, password: "short" })).toMatchObject({
      __typename: "ValidationError",
      field: "input.password",
    });
  });
});

describe("expireUserPassword", () => {
  it("marks the password expired and keeps the hash", async () => {
    const user = await newUser({ password: "about to expire" });
    const hash = (await storedUser(gateway, user.id))!.passwordHash;
    expect(await mutateUser(gateway, admin, "expireUserPassword", { id: user.id })).toMatchObject({ passwordExpired: true, hasPassword: true });
    expect((await storedUser(gateway, user.id))!.passwordHash).toBe(hash);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.password.expire",
      changes: { passwordExpired: { before: false, after: true } },
    });
  });

  it("refuses a user without a password", async () => {
    const user = await newUser();
    const before = await countRows(db());
    expect(await mutate(gateway, admin, "expireUserPassword", { id: user.id })).toMatchObject({ __typename: "ValidationError", field: "input.id" });
    expect(await countRows(db())).toEqual(before);
  });
});

describe("every password mutation", () => {
  const operations: Array<[string, (id: string) => Record<string, unknown>]> = [
    ["expireUserPassword", (id) => ({ id })],
    ["setUserPassword", (id) => ({ id, password: "intruder password" })],
    ["setUserTemporaryPassword", (id) => ({ id, password: "intruder password" })],
  ];

  it.each(operations)("%s reports an unknown id as not found", async (name, input) => {
    expect(await mutate(gateway, admin, name, input("usr_00000000000000000000000000"), "")).toMatchObject({ __typename: "NotFoundError", entity: "User" });
  });

  it.each(operations)("%s treats a user of another realm as not found and changes nothing", async (name, input) => {
    const theirs = await mutateUser(gateway, otherRealm.token, "createUser", { email: uniqueEmail("theirs"), password: "their password" });
    const stored = await storedUser(gateway, theirs.id);
    const before = await countRows(db());
    expect(await mutate(gateway, admin, name, input(theirs.id), "")).toMatchObject({ __typename: "NotFoundError", id: theirs.id });
    expect(await storedUser(gateway, theirs.id)).toEqual(stored);
    expect(await countRows(db())).toEqual(before);
  });

  it.each(operations)("%s needs users:write", async (name, input) => {
    const user = await newUser({ password: "guarded password" });
    const stored = await storedUser(gateway, user.id);
    const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
    const result = await graphql(gateway, readOnly, `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`, { input: input(user.id) });
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await storedUser(gateway, user.id)).toEqual(stored);
  });
});

describe("what leaves the server", () => {
  it("never shows a password or its hash in a response, and stores no password in clear", async () => {
    const password = "needle-in-the-haystack-42";
    const created = await graphqlOk(
      gateway,
      admin,
      `mutation($input: CreateUserInput!) { createUser(input: $input) { ... on UserPayload { user { ${userFields} } } } }`,
      { input: { email: uniqueEmail(), password } },
    );
    const id = created.createUser.user.id;
    const read = await graphqlOk(gateway, admin, `query($id: ID!) { user(id: $id) { ${userFields} } node(id: $id) { ... on User { ${userFields} } } }`, { id });
    const set = await graphqlOk(
      gateway,
      admin,
      `mutation($id: ID!) { setUserPassword(input: { id: $id, password: "${password}-2" }) { ... on UserPayload { user { ${userFields} } } } }`,
      { id },
    );
    for (const response of [created, read, set]) expect(JSON.stringify(response)).not.toMatch(/needle|argon2/);
    const rows = await everyRowAsText(db());
    expect(rows.filter((row) => row.includes("needle"))).toEqual([]);
  });
});
