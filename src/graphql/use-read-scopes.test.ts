// A field of a type needs that type's read scope wherever the type appears: under its own query,
// in a mutation's payload, behind a link of another type or a `node(id)` fragment. Without it an
// operation may select ids only; otherwise it is refused as a whole, before anything is written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { auditEventCount, insertApplication, insertRole, insertUser } from "../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { createFirstPartyApp, createUserWithPassword, passwordSignIn } from "../../test/support/sign-in.js";

let gateway: TestGateway;
let admin: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
});
afterAll(() => gateway.close());

const narrowed = (scope: string) => tokenFor(gateway, undefined, { scope });

/** The result is the one top-level refusal naming exactly these missing scopes, and no data. */
function expectRefused(result: Awaited<ReturnType<typeof graphql>>, missingScopes: string[]) {
  expect(result.status, JSON.stringify(result.errors)).toBe(403);
  expect(result.data).toBeNull();
  expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "insufficient_scope", missingScopes }) })]);
}

const addUserRoles = (userSelection: string, fragments = "") => `mutation($input: UserRolesInput!) {
  addUserRoles(input: $input) { __typename ... on UserPayload { user { ${userSelection} } } ... on Error { message } }
} ${fragments}`;

async function heldRoles(userId: string): Promise<string[]> {
  return (await gateway.database.prisma.userRole.findMany({ where: { userId } })).map((grant) => grant.roleId);
}

describe("mutation payloads", () => {
  it("refuse a users:roles token that selects the profile of the user it changed, and change nothing", async () => {
    const [user, role, roles] = [await insertUser(gateway, { phone: "+14155550100", lastLoginIp: "198.51.100.7" }), await insertRole(gateway), await narrowed("users:roles")];
    const events = await auditEventCount(gateway);
    const result = await graphql(gateway, roles, addUserRoles("id email phone lastLoginIp userMetadata"), { input: { userId: user.id, roleIds: [role.id] } });
    expectRefused(result, ["users:read"]);
    expect(JSON.stringify(result)).not.toContain("198.51.100.7");
    expect(await heldRoles(user.id)).toEqual([]);
    expect(await auditEventCount(gateway)).toBe(events);
  });

  it("refuse the same selection made through a named fragment", async () => {
    const [user, role, roles] = [await insertUser(gateway), await insertRole(gateway), await narrowed("users:roles")];
    const result = await graphql(gateway, roles, addUserRoles("...Profile", "fragment Profile on User { id email }"), { input: { userId: user.id, roleIds: [role.id] } });
    expectRefused(result, ["users:read"]);
    expect(await heldRoles(user.id)).toEqual([]);
  });

  it("let the same token do the write and see ids only", async () => {
    const [user, role, roles] = [await insertUser(gateway), await insertRole(gateway), await narrowed("users:roles")];
    const data = await graphqlOk(gateway, roles, addUserRoles("__typename id"), { input: { userId: user.id, roleIds: [role.id] } });
    expect(data.addUserRoles).toEqual({ __typename: "UserPayload", user: { __typename: "User", id: user.id } });
    expect(await heldRoles(user.id)).toEqual([role.id]);
  });

  it("name every missing scope of the selection: the user's and the applications'", async () => {
    const [user, role, roles] = [await insertUser(gateway), await insertRole(gateway), await narrowed("users:roles")];
    const result = await graphql(gateway, roles, addUserRoles("email applications { name }"), { input: { userId: user.id, roleIds: [role.id] } });
    expectRefused(result, ["applications:read", "users:read"]);
  });

  it("let whoever assigns a user's roles see those roles (seed 003), but not what the roles grant", async () => {
    const [user, role, roles] = [await insertUser(gateway), await insertRole(gateway, { name: "assigned" }), await narrowed("users:roles")];
    const data = await graphqlOk(gateway, roles, addUserRoles("id roles { id name }"), { input: { userId: user.id, roleIds: [role.id] } });
    expect(data.addUserRoles.user).toEqual({ id: user.id, roles: [{ id: role.id, name: "assigned" }] });
    const deeper = await graphql(gateway, roles, addUserRoles("id roles { name scopes { name } }"), { input: { userId: user.id, roleIds: [role.id] } });
    expectRefused(deeper, ["resources:read"]);
    expect(deeper.errors?.[0]?.message).toContain("resources:read (or roles:read)");
  });
});

describe("links to another type", () => {
  it("refuse a users:read token that reads the configuration of a user's applications", async () => {
    const [user, application, reader] = [await insertUser(gateway), await insertApplication(gateway), await narrowed("users:read")];
    await gateway.database.prisma.userApplication.create({ data: { userId: user.id, applicationId: application.id } });
    const query = (selection: string) => `query($id: ID!) { user(id: $id) { email applications { ${selection} } } }`;
    expectRefused(await graphql(gateway, reader, query("clientId redirectUris"), { id: user.id }), ["applications:read"]);
    const ids = await graphqlOk(gateway, reader, query("id"), { id: user.id });
    expect(ids.user).toEqual({ email: user.email, applications: [{ id: application.id }] });
  });
});

describe("node(id)", () => {
  it("refuses realm fields without realms:read, reads a realm id as missing, and answers with the scope", async () => {
    const reader = await narrowed("users:read roles:read");
    const query = (selection: string) => `query($id: ID!) { node(id: $id) { ${selection} } }`;
    const realmId = gateway.defaultRealmId;
    expectRefused(await graphql(gateway, reader, query("... on Realm { name }"), { id: realmId }), ["realms:read"]);
    expect((await graphqlOk(gateway, reader, query("id"), { id: realmId })).node).toBeNull();
    expect((await graphqlOk(gateway, admin, query("... on Realm { name }"), { id: realmId })).node).toEqual({ name: expect.any(String) });
  });

  it("asks the scope of each fragment's type, whatever the id turns out to be", async () => {
    const [role, user, roleReader] = [await insertRole(gateway), await insertUser(gateway), await narrowed("roles:read")];
    const query = `query($id: ID!) { node(id: $id) { id ... on Role { name } ... on User { email } } }`;
    expectRefused(await graphql(gateway, roleReader, query, { id: role.id }), ["users:read"]);
    const both = await narrowed("roles:read users:read");
    expect((await graphqlOk(gateway, both, query, { id: role.id })).node).toEqual({ id: role.id, name: role.name });
    expect((await graphqlOk(gateway, both, query, { id: user.id })).node).toEqual({ id: user.id, email: user.email });
  });
});

describe("what every caller keeps", () => {
  it("a signed-in user reads their own profile with `me`, and only the ids of what it links to", async () => {
    const [app, password] = [await createFirstPartyApp(gateway), "correct horse battery staple"];
    await createUserWithPassword(gateway, { email: "self@example.test", password, status: "active", name: "Self" });
    const tokens = await (await passwordSignIn(gateway, app, { username: "self@example.test", password })).json();
    const me = await graphqlOk(gateway, tokens.access_token, `{ me { id email name roles { id } } }`);
    expect(me.me).toMatchObject({ email: "self@example.test", name: "Self", roles: [] });
    expectRefused(await graphql(gateway, tokens.access_token, `{ me { roles { name } } }`), ["roles:read"]);
    // A fragment is judged where it is spread: under `me` it shows the caller, elsewhere any user.
    const self = "fragment Self on User { email }";
    expect((await graphqlOk(gateway, tokens.access_token, `{ me { ...Self } } ${self}`)).me).toEqual({ email: "self@example.test" });
    const other = await insertUser(gateway);
    expectRefused(await graphql(gateway, tokens.access_token, `query($id: ID!) { me { ...Self } node(id: $id) { ...Self } } ${self}`, { id: other.id }), ["users:read"]);
  });

  it("any principal reads its own realm with `realm`", async () => {
    const roles = await narrowed("users:roles");
    expect((await graphqlOk(gateway, roles, `{ realm { id name } }`)).realm).toEqual({ id: gateway.defaultRealmId, name: expect.any(String) });
  });

  it("an operation without any scoped type's field runs for anyone authenticated", async () => {
    expect(await graphqlOk(gateway, await narrowed("users:roles"), `{ __typename realm { __typename } }`)).toEqual({ __typename: "Query", realm: { __typename: "Realm" } });
  });

  it("an anonymous caller selecting a scoped type's field is asked to authenticate", async () => {
    const result = await graphql(gateway, null, `{ users(first: 1) { edges { node { email } } } }`);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe("UNAUTHENTICATED");
  });
});

describe("field-level refusals", () => {
  it("name the scope the field needs", async () => {
    const result = await graphql(gateway, await narrowed("users:roles"), `{ users(first: 1) { totalCount } }`);
    expect(result.status).toBe(403);
    expect(result.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: "insufficient_scope", missingScopes: ["users:read"] }) })]);
  });
});
