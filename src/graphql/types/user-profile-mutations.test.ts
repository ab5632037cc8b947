// Seed 001's single-purpose updates (email, login id, phone, display name, picture, custom
// attributes): each changes only its own fields and leaves everything else as it was.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { countRows } from "../../../test/support/table-rows.js";
import { auditEventsFor, mutate, mutateUser, otherRealmToken, storedUser, tokenWithScopes, uniqueEmail } from "../../../test/support/user-fixtures.js";

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
const profile = {
  emailVerified: true,
  phone: "+442071234567",
  phoneVerified: true,
  username: "profiled",
  name: "Pat Example",
  givenName: "Pat",
  familyName: "Example",
  picture: "https://cdn.example.com/pat.png",
  customAttributes: { department: "Sales", floor: 3 },
};
let counter = 0;
const newUser = () => mutateUser(gateway, admin, "createUser", { ...profile, email: uniqueEmail(), username: `profiled${++counter}` });

/** The stored row minus what the mutation was meant to change and the update time. */
async function untouched(id: string, changed: string[]) {
  const row = (await storedUser(gateway, id)) as Record<string, unknown>;
  for (const field of [...changed, "updatedAt"]) delete row[field];
  return row;
}

describe("updateUserEmail", () => {
  it("sets a new address, lower-cased and unverified, and touches nothing else", async () => {
    const user = await newUser();
    const before = await untouched(user.id, ["email", "emailVerified"]);
    const updated = await mutateUser(gateway, admin, "updateUserEmail", { id: user.id, email: "New.Address@Example.TEST" });
    expect(updated).toMatchObject({ email: "new.address@example.test", emailVerified: false });
    expect(await untouched(user.id, ["email", "emailVerified"])).toEqual(before);
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.email.update",
      changes: { email: { before: user.email, after: "new.address@example.test" }, emailVerified: { before: true, after: false } },
    });
  });

  it("keeps the address verified when the input says so, and removes it with null", async () => {
    const user = await newUser();
    const verified = await mutateUser(gateway, admin, "updateUserEmail", { id: user.id, email: uniqueEmail(), emailVerified: true });
    expect(verified.emailVerified).toBe(true);
    const removed = await mutateUser(gateway, admin, "updateUserEmail", { id: user.id, email: null });
    expect(removed).toMatchObject({ email: null, emailVerified: false, username: user.username });
  });

  it("refuses an address another user holds in any letter case", async () => {
    const holder = await newUser();
    const user = await newUser();
    const result = await mutate(gateway, admin, "updateUserEmail", { id: user.id, email: holder.email.toUpperCase() });
    expect(result).toMatchObject({ __typename: "ConflictError", field: "input.email" });
    expect((await storedUser(gateway, user.id))!.email).toBe(user.email);
  });

  it.each([
    ["a missing email", {}, "input.email"],
    ["an invalid email", { email: "two@@example.test" }, "input.email"],
  ])("refuses %s", async (_label, input, field) => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "updateUserEmail", { id: user.id, ...input })).toMatchObject({ __typename: "ValidationError", field });
  });
});

describe("updateUserLoginId", () => {
  it("sets the login id lower-cased; null removes it while the email remains", async () => {
    const user = await newUser();
    expect(await mutateUser(gateway, admin, "updateUserLoginId", { id: user.id, username: "New.Login" })).toMatchObject({ username: "new.login" });
    expect(await mutateUser(gateway, admin, "updateUserLoginId", { id: user.id, username: null })).toMatchObject({ username: null, email: user.email });
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.username.update",
      changes: { username: { before: "new.login", after: null } },
    });
  });

  it("refuses a login id another user holds in any letter case", async () => {
    const holder = await newUser();
    const user = await newUser();
    const result = await mutate(gateway, admin, "updateUserLoginId", { id: user.id, username: holder.username.toUpperCase() });
    expect(result).toMatchObject({ __typename: "ConflictError", field: "input.username" });
  });

  it("refuses removing the last identifier", async () => {
    const user = await mutateUser(gateway, admin, "createUser", { username: "onlylogin" });
    const result = await mutate(gateway, admin, "updateUserLoginId", { id: user.id, username: null });
    expect(result).toMatchObject({ __typename: "ValidationError", field: "input.email" });
    expect((await storedUser(gateway, user.id))!.username).toBe("onlylogin");
  });
});

describe("updateUserPhone", () => {
  it("sets an E.164 number, unverified unless said otherwise", async () => {
    const user = await newUser();
    expect(await mutateUser(gateway, admin, "updateUserPhone", { id: user.id, phone: "+49 30 1234-5678" })).toMatchObject({
      phone: "+493012345678",
      phoneVerified: false,
    });
    expect(await mutateUser(gateway, admin, "updateUserPhone", { id: user.id, phone: "+15551234567", phoneVerified: true })).toMatchObject({
      phone: "+15551234567",
      phoneVerified: true,
    });
    expect(await mutateUser(gateway, admin, "updateUserPhone", { id: user.id, phone: null })).toMatchObject({ phone: null, phoneVerified: false });
  });

  it.each([["0301234567"], ["+0123"], ["+1234567890123456"], ["call me"]])("refuses %s", async (phone) => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "updateUserPhone", { id: user.id, phone })).toMatchObject({ __typename: "ValidationError", field: "input.phone" });
    expect((await storedUser(gateway, user.id))!.phone).toBe(profile.phone);
  });
});

describe("updateUserDisplayName", () => {
  it("changes the name fields given and keeps the others", async () => {
    const user = await newUser();
    const updated = await mutateUser(gateway, admin, "updateUserDisplayName", { id: user.id, name: "Patricia Example", givenName: "Patricia", middleName: null });
    expect(updated).toMatchObject({ name: "Patricia Example", givenName: "Patricia", familyName: "Example", middleName: null });
    expect((await auditEventsFor(gateway, user.id)).at(-1)!.changes).toEqual({
      name: { before: "Pat Example", after: "Patricia Example" },
      givenName: { before: "Pat", after: "Patricia" },
    });
  });

  it("refuses an input without any name field, and names over 200 characters", async () => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "updateUserDisplayName", { id: user.id })).toMatchObject({ __typename: "ValidationError", field: "input.name" });
    expect(await mutate(gateway, admin, "updateUserDisplayName", { id: user.id, familyName: "x".repeat(201) })).toMatchObject({
      __typename: "ValidationError",
      field: "input.familyName",
    });
  });
});

describe("updateUserPicture", () => {
  it("sets an http(s) URL and removes it with null", async () => {
    const user = await newUser();
    expect(await mutateUser(gateway, admin, "updateUserPicture", { id: user.id, picture: "https://img.example.com/new.jpg" })).toMatchObject({
      picture: "https://img.example.com/new.jpg",
    });
    expect(await mutateUser(gateway, admin, "updateUserPicture", { id: user.id, picture: null })).toMatchObject({ picture: null });
  });

  it.each([["data:image/png;base64,AAAA"], ["ftp://example.com/a.png"], ["not a url"]])("refuses %s", async (picture) => {
    const user = await newUser();
    expect(await mutate(gateway, admin, "updateUserPicture", { id: user.id, picture })).toMatchObject({ __typename: "ValidationError", field: "input.picture" });
  });
});

describe("updateUserCustomAttributes", () => {
  it("merges keys into the stored attributes; a null value removes its key", async () => {
    const user = await newUser();
    const updated = await mutateUser(gateway, admin, "updateUserCustomAttributes", {
      id: user.id,
      customAttributes: { floor: null, badge: { id: 7 }, department: "Support" },
    });
    expect(updated.customAttributes).toEqual({ department: "Support", badge: { id: 7 } });
    expect((await auditEventsFor(gateway, user.id)).at(-1)).toMatchObject({
      action: "user.customAttributes.update",
      changes: { customAttributes: { before: profile.customAttributes, after: { department: "Support", badge: { id: 7 } } } },
    });
  });

  it("refuses attributes that would grow past 16 KB", async () => {
    const user = await newUser();
    await mutateUser(gateway, admin, "updateUserCustomAttributes", { id: user.id, customAttributes: { a: "x".repeat(9 * 1024) } });
    const result = await mutate(gateway, admin, "updateUserCustomAttributes", { id: user.id, customAttributes: { b: "y".repeat(9 * 1024) } });
    expect(result).toMatchObject({ __typename: "ValidationError", field: "input.customAttributes" });
    expect(Object.keys((await storedUser(gateway, user.id))!.customAttributes as object).sort()).toEqual(["a", "department", "floor"]);
  });
});

describe("every single-purpose update", () => {
  const operations: Array<[string, (id: string) => Record<string, unknown>]> = [
    ["updateUserEmail", (id) => ({ id, email: "intruder@example.test" })],
    ["updateUserLoginId", (id) => ({ id, username: "intruder" })],
    ["updateUserPhone", (id) => ({ id, phone: "+15550000000" })],
    ["updateUserDisplayName", (id) => ({ id, name: "Intruder" })],
    ["updateUserPicture", (id) => ({ id, picture: "https://evil.example/x.png" })],
    ["updateUserCustomAttributes", (id) => ({ id, customAttributes: { owned: true } })],
  ];

  it.each(operations)("%s reports an unknown id as not found", async (name, input) => {
    const result = await mutate(gateway, admin, name, input("usr_00000000000000000000000000"), "");
    expect(result).toMatchObject({ __typename: "NotFoundError", entity: "User" });
  });

  it.each(operations)("%s treats a user of another realm as not found and changes nothing", async (name, input) => {
    const theirs = await mutateUser(gateway, otherRealm.token, "createUser", { email: uniqueEmail("theirs"), name: "Theirs" });
    const before = await countRows(db());
    const stored = await storedUser(gateway, theirs.id);
    expect(await mutate(gateway, admin, name, input(theirs.id), "")).toMatchObject({ __typename: "NotFoundError", id: theirs.id });
    expect(await storedUser(gateway, theirs.id)).toEqual(stored);
    expect(await countRows(db())).toEqual(before);
  });

  it.each(operations)("%s needs users:write", async (name, input) => {
    const user = await newUser();
    const stored = await storedUser(gateway, user.id);
    const inputType = `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
    const result = await graphql(gateway, readOnly, `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename } }`, { input: input(user.id) });
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(await storedUser(gateway, user.id)).toEqual(stored);
  });
});
