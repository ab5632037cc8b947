// The privilege policy on user writes, attacked over HTTP:
// - target ceiling: a caller changes a user's credentials (password, temporary password, expiry),
//   identifiers (email, login id), privileges (roles, tenant with its roles), status or existence
//   only when that user holds no management scope the caller lacks; other profile fields (names,
//   picture, metadata, phone: nobody signs in by phone) stay plain `users:write` changes;
// - the realm keeps an administrator, also when its last one is a user;
// - an administrator's password change, temporary password or expiry ends the user's sessions;
// - batches ask the policy once, not once per row.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, requestToken, tokenFor, type GraphQLResult } from "../../../test/support/api-client.js";
import { expectAccessDenied, insertTenant } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { createFirstPartyApp, createUserWithPassword, passwordSignIn, refresh } from "../../../test/support/sign-in.js";
import { auditEventsFor, otherRealmToken, storedUser, uniqueEmail } from "../../../test/support/user-fixtures.js";
import { sessionRecheckMs } from "../../auth/session-revocation.js";
import { newId } from "../../db/ids.js";
import { managementAdminRoleName } from "../../services/management-api.js";

let gateway: TestGateway;
let admin: string;
/** The bootstrap admin's token narrowed to these scopes: what a `users:write` client holds. */
let writer: string;
let rolesOnly: string;
let app: { clientId: string; clientSecret: string | null };
let adminRoleId: string;
const statements: string[] = [];
const password = "the old password 1";

beforeAll(async () => {
  gateway = await startTestGateway({}, { onQuery: (sql) => statements.push(sql) });
  admin = await tokenFor(gateway);
  writer = await tokenFor(gateway, adminClient, { scope: "users:read users:write" });
  rolesOnly = await tokenFor(gateway, adminClient, { scope: "users:read users:roles" });
  app = await createFirstPartyApp(gateway);
  adminRoleId = (await db().role.findFirstOrThrow({ where: { realmId: gateway.defaultRealmId, name: managementAdminRoleName } })).id;
});
afterAll(() => gateway.close());

const db = () => gateway.database.prisma;

/** An active user with a password, holding the realm's administrator role when `administrator`. */
async function userWith(options: { administrator: boolean; realmId?: string; roleId?: string }) {
  const email = uniqueEmail(options.administrator ? "admin" : "plain");
  const user = await createUserWithPassword(gateway, { email, password, status: "active" });
  if (options.realmId) await db().user.update({ where: { id: user.id }, data: { realmId: options.realmId } });
  if (options.administrator) {
    await db().userRole.create({ data: { id: newId("userRole"), userId: user.id, roleId: options.roleId ?? adminRoleId } });
  }
  return user;
}

/** Input types not named after their mutation. */
const sharedInputs: Record<string, string> = {
  setUserRoles: "UserRolesInput",
  removeUserRoles: "UserRolesInput",
  removeUserTenant: "UserTenantInput",
};

function run(token: string, name: string, input: Record<string, unknown>): Promise<GraphQLResult> {
  const inputType = sharedInputs[name] ?? `${name.charAt(0).toUpperCase()}${name.slice(1)}Input`;
  return graphql(gateway, token, `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename ... on Error { message } } }`, { input });
}

/** Refused as a whole with 403 insufficient_scope naming what the caller lacks. */
function expectRefusedFor(result: GraphQLResult, missing: string[]) {
  expectAccessDenied(result);
  const extensions = result.errors?.[0]?.extensions as { missingScopes?: string[] } | undefined;
  expect(extensions?.missingScopes).toEqual(expect.arrayContaining(missing));
}

const signsIn = async (email: string, secret = password) => (await passwordSignIn(gateway, app, { username: email, password: secret })).status;

/** What a takeover would use: every credential, identifier and privilege change, and deletion. */
let fresh = 0;
const takeovers = (id: string): Array<[string, Record<string, unknown>]> => [
  ["setUserPassword", { id, password: "attacker password 1" }],
  ["setUserTemporaryPassword", { id, password: "attacker password 1" }],
  ["expireUserPassword", { id }],
  ["updateUserEmail", { id, email: `taken-${++fresh}@attacker.test` }],
  ["updateUserLoginId", { id, username: `taken-${++fresh}` }],
  ["updateUser", { id, email: `taken-${++fresh}@attacker.test` }],
  ["updateUser", { id, username: `taken-${++fresh}` }],
  ["updateUser", { id, password: "attacker password 1" }],
  ["updateUser", { id, password: null }],
  ["updateUser", { id, status: "suspended" }],
  ["replaceUser", { id, email: `taken-${++fresh}@attacker.test` }],
  ["setUserStatus", { id, status: "suspended" }],
  ["deleteUser", { id }],
];

describe("target ceiling: users:write cannot take over a user holding more than it", () => {
  it("refuses every credential, identifier, status and deletion change of an administrator, changing nothing", async () => {
    const target = await userWith({ administrator: true });
    const events = (await auditEventsFor(gateway, target.id)).length;
    for (const [name, input] of takeovers(target.id)) {
      const result = await run(writer, name, input);
      expect(result.status, `${name} ${JSON.stringify(input)}: ${JSON.stringify(result.errors ?? result.data)}`).toBe(403);
      expectRefusedFor(result, ["users:roles", "roles:write", "applications:write"]);
    }
    expect(await storedUser(gateway, target.id)).toEqual(target);
    expect(await auditEventsFor(gateway, target.id)).toHaveLength(events);
    expect(await signsIn(target.email!)).toBe(200);
  });

  it("lets it change them for a user holding no management scope", async () => {
    for (const [name, input] of takeovers("")) {
      const target = await userWith({ administrator: false });
      const result = await run(writer, name, { ...input, id: target.id });
      expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
      expect(result.data[name].__typename).toBe(name === "deleteUser" ? "DeletePayload" : "UserPayload");
    }
  });

  it("keeps names, picture, metadata and phone plain users:write changes, for administrators too", async () => {
    const target = await userWith({ administrator: true });
    const changes: Array<[string, Record<string, unknown>]> = [
      ["updateUserDisplayName", { id: target.id, name: "Renamed" }],
      ["updateUserPicture", { id: target.id, picture: "https://example.test/face.png" }],
      ["updateUserCustomAttributes", { id: target.id, customAttributes: { team: "blue" } }],
      ["updateUserPhone", { id: target.id, phone: "+14155550123" }],
      ["updateUser", { id: target.id, email: target.email, nickname: "same email, new nickname", mergeUserMetadata: { a: 1 } }],
      ["replaceUser", { id: target.id, email: target.email, name: "Replaced, same email" }],
    ];
    for (const [name, input] of changes) {
      const result = await run(writer, name, input);
      expect(result.errors, `${name}: ${JSON.stringify(result.errors)}`).toBeUndefined();
      expect(result.data[name].__typename).toBe("UserPayload");
    }
    expect(await signsIn(target.email!)).toBe(200);
  });

  it("refuses users:roles taking roles from an administrator, realm-wide or in a tenant, and users:write removing its tenant", async () => {
    const target = await userWith({ administrator: true });
    const tenant = await insertTenant(gateway);
    await db().userTenant.create({ data: { userId: target.id, tenantId: tenant.id } });
    await db().userRole.create({ data: { id: newId("userRole"), userId: target.id, roleId: adminRoleId, tenantId: tenant.id } });
    const grants = () => db().userRole.findMany({ where: { userId: target.id }, select: { roleId: true, tenantId: true }, orderBy: { id: "asc" } });
    const before = await grants();
    const demotions: Array<[string, string, Record<string, unknown>]> = [
      [rolesOnly, "removeUserRoles", { userId: target.id, roleIds: [adminRoleId] }],
      [rolesOnly, "setUserRoles", { userId: target.id, roleIds: [] }],
      [rolesOnly, "removeUserRoles", { userId: target.id, roleIds: [adminRoleId], tenantId: tenant.id }],
      [rolesOnly, "setUserRoles", { userId: target.id, roleIds: [], tenantId: tenant.id }],
      [await tokenFor(gateway, adminClient, { scope: "users:write users:roles" }), "updateUser", { id: target.id, roleIds: [] }],
      [writer, "removeUserTenant", { userId: target.id, tenantId: tenant.id }],
    ];
    for (const [token, name, input] of demotions) {
      expectRefusedFor(await run(token, name, input), ["roles:write"]);
    }
    expect(await grants()).toEqual(before);
    expect(await db().userTenant.count({ where: { userId: target.id } })).toBe(1);
  });

  it("still lets users:roles take roles from, and users:write remove the tenant of, a user holding no management scope", async () => {
    const target = await userWith({ administrator: false });
    const tenant = await insertTenant(gateway);
    const role = await db().role.create({ data: { id: newId("role"), realmId: gateway.defaultRealmId, name: `plain-${newId("role")}` } });
    await db().userTenant.create({ data: { userId: target.id, tenantId: tenant.id } });
    await db().userRole.createMany({
      data: [
        { id: newId("userRole"), userId: target.id, roleId: role.id },
        { id: newId("userRole"), userId: target.id, roleId: role.id, tenantId: tenant.id },
      ],
    });
    expect((await run(rolesOnly, "removeUserRoles", { userId: target.id, roleIds: [role.id] })).data.removeUserRoles.__typename).toBe("UserPayload");
    expect((await run(writer, "removeUserTenant", { userId: target.id, tenantId: tenant.id })).data.removeUserTenant.__typename).toBe("UserPayload");
    expect(await db().userRole.count({ where: { userId: target.id } })).toBe(0);
  });
});

describe("the realm keeps an administrator when its last one is a user", () => {
  it("refuses the user's own suspension, deletion and demotion, and allows them once another administrator exists", async () => {
    // A realm of its own whose admin application lost its role: the user is its only administrator.
    const realm = await otherRealmToken(gateway, admin, `last-admin-${Date.now().toString(36)}`);
    const created = await graphqlOk(
      gateway,
      realm.token,
      `mutation { createApplication(input: { name: "portal", type: web }) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    );
    const portal = { clientId: created.createApplication.application.clientId, clientSecret: created.createApplication.clientSecret };
    const realmAdminRole = await db().role.findFirstOrThrow({ where: { realmId: realm.realmId, name: managementAdminRoleName } });
    const last = await userWith({ administrator: true, realmId: realm.realmId, roleId: realmAdminRole.id });
    await db().applicationRole.deleteMany({ where: { application: { realmId: realm.realmId } } });
    const signIn = async () => {
      const response = await requestToken(
        gateway,
        { grant_type: "password", client_id: portal.clientId, client_secret: portal.clientSecret, username: last.email!, password },
        { path: `/oauth2/${realm.realmId}/token` },
      );
      expect(response.status).toBe(200);
      return (await response.json()).access_token as string;
    };
    const own = await signIn();
    expect(String(decodeJwt(own).scope)).toContain("users:roles");

    const attempts: Array<[string, Record<string, unknown>]> = [
      ["setUserStatus", { id: last.id, status: "suspended" }],
      ["setUserStatus", { id: last.id, status: "inactive" }],
      ["updateUser", { id: last.id, status: "suspended" }],
      ["updateUser", { id: last.id, roleIds: [] }],
      ["removeUserRoles", { userId: last.id, roleIds: [realmAdminRole.id] }],
      ["setUserRoles", { userId: last.id, roleIds: [] }],
      ["deleteUser", { id: last.id }],
      ["deleteUsers", { ids: [last.id] }],
    ];
    for (const [name, input] of attempts) {
      const result = await run(own, name, input);
      expectAccessDenied(result);
      expect(result.errors?.[0]?.message).toMatch(/without an administrator/);
    }
    expect(await storedUser(gateway, last.id)).toMatchObject({ status: "active" });
    expect(await db().userRole.count({ where: { userId: last.id, roleId: realmAdminRole.id } })).toBe(1);

    // A second administrator: now the first may step down.
    await userWith({ administrator: true, realmId: realm.realmId, roleId: realmAdminRole.id });
    expect((await run(own, "removeUserRoles", { userId: last.id, roleIds: [realmAdminRole.id] })).data.removeUserRoles.__typename).toBe("UserPayload");
  });
});

describe("an administrator's password change ends the user's sessions", () => {
  it("revokes refresh tokens at once and access tokens within the session recheck, recording the ended sessions", async () => {
    const changes: Array<[string, (id: string) => Record<string, unknown>]> = [
      ["setUserPassword", (id) => ({ id, password: "a brand new password" })],
      ["setUserTemporaryPassword", (id) => ({ id, password: "a brand new password" })],
      ["expireUserPassword", (id) => ({ id })],
      ["updateUser", (id) => ({ id, password: "a brand new password" })],
    ];
    const signedIn = await Promise.all(
      changes.map(async ([name, input]) => {
        const user = await userWith({ administrator: false });
        const tokens = await (await passwordSignIn(gateway, app, { username: user.email!, password, scope: "offline_access" })).json();
        expect((await graphql(gateway, tokens.access_token, "{ me { id } }")).status).toBe(200);
        const result = await run(admin, name, input(user.id));
        expect(result.data[name].__typename, JSON.stringify(result)).toBe("UserPayload");
        return { name, user, tokens };
      }),
    );
    for (const { name, user, tokens } of signedIn) {
      expect((await (await refresh(gateway, app, tokens.refresh_token)).json()).error, name).toBe("invalid_grant");
      const [event] = (await auditEventsFor(gateway, user.id)).slice(-1);
      expect(event!.changes, name).toMatchObject({ activeSessions: { before: 1, after: 0 } });
    }
    await new Promise((resolve) => setTimeout(resolve, sessionRecheckMs + 100));
    for (const { name, tokens } of signedIn) {
      expect((await graphql(gateway, tokens.access_token, "{ me { id } }")).status, name).toBe(401);
    }
  });
});

describe("batches", () => {
  const deleteUsers = (token: string, ids: string[]) =>
    graphql(gateway, token, `mutation($ids: [ID!]!) { deleteUsers(input: { ids: $ids }) { __typename ... on DeleteUsersPayload { deletedCount } } }`, { ids });

  it("refuses a deleteUsers batch holding an administrator as a whole, deleting none of it", async () => {
    const plain = [await userWith({ administrator: false }), await userWith({ administrator: false })];
    const target = await userWith({ administrator: true });
    const ids = [plain[0]!.id, target.id, plain[1]!.id];
    expectRefusedFor(await deleteUsers(writer, ids), ["roles:write"]);
    expect(await db().user.count({ where: { id: { in: ids } } })).toBe(3);
    expect((await graphqlOk(gateway, writer, `mutation($ids: [ID!]!) { deleteUsers(input: { ids: $ids }) { ... on DeleteUsersPayload { deletedCount } } }`, {
      ids: [plain[0]!.id, plain[1]!.id],
    })).deleteUsers.deletedCount).toBe(2);
  });

  /** The statements a request sends, but the per-row audit inserts. */
  async function statementsOf(request: () => Promise<unknown>) {
    statements.length = 0;
    await request();
    return statements.filter((sql) => !/INSERT INTO "public"\."AuditEvent"/.test(sql));
  }

  it("asks the policy once per deleteUsers batch: its statements do not grow with the rows", async () => {
    const make = async (count: number) => (await db().user.createManyAndReturn({
      data: Array.from({ length: count }, () => ({ id: newId("user"), realmId: gateway.defaultRealmId, email: uniqueEmail("bulk") })),
      select: { id: true },
    })).map((user) => user.id);
    const [few, many] = [await make(3), await make(30)];
    const small = await statementsOf(() => deleteUsers(writer, few));
    const large = await statementsOf(() => deleteUsers(writer, many));
    expect(await db().user.count({ where: { id: { in: [...few, ...many] } } })).toBe(0);
    expect(large.length).toBe(small.length);
  });

  it("asks the grant ceiling once per createUsers batch", async () => {
    const role = await db().role.create({ data: { id: newId("role"), realmId: gateway.defaultRealmId, name: `bulk-${newId("role")}` } });
    const createUsers = (count: number) =>
      graphqlOk(gateway, admin, `mutation($input: CreateUsersInput!) { createUsers(input: $input) { ... on CreateUsersPayload { createdCount } } }`, {
        input: { users: Array.from({ length: count }, () => ({ email: uniqueEmail("bulk"), roleIds: [role.id] })) },
      });
    const scopeReads = (sql: string[]) => sql.filter((statement) => /"Scope"/.test(statement)).length;
    const small = scopeReads(await statementsOf(() => createUsers(3)));
    const large = scopeReads(await statementsOf(() => createUsers(30)));
    expect(small).toBeGreaterThan(0);
    expect(large).toBe(small);
  });
});
