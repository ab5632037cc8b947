// Roles, tenants and applications of a user, through HTTP: add / set / remove, realm-wide and per
// tenant, with their scopes, grant and target limits, realm confinement and no trace after a failure.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import {
  auditEventCount,
  createOtherRealm,
  expectAccessDenied,
  insertApplication,
  insertRole,
  insertTenant,
  insertUser,
  managementScope,
} from "../../../test/support/directory-rows.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
});
afterAll(() => gateway.close());

const userAccess = `
  user { id roles { name } tenants { name } tenantRoles { tenant { name } role { name } } applications { name } }
`;

function rolesMutation(name: "addUserRoles" | "setUserRoles" | "removeUserRoles") {
  return `mutation($input: UserRolesInput!) { ${name}(input: $input) {
    __typename
    ... on UserPayload { ${userAccess} }
    ... on NotFoundError { entity id }
    ... on ValidationError { field message }
  } }`;
}

const tenantMutation = (name: "addUserTenant" | "removeUserTenant") => `mutation($input: UserTenantInput!) { ${name}(input: $input) {
  __typename
  ... on UserPayload { ${userAccess} }
  ... on NotFoundError { entity id }
} }`;

const applicationsMutation = (name: "addUserApplications" | "setUserApplications" | "removeUserApplications") =>
  `mutation($input: UserApplicationsInput!) { ${name}(input: $input) {
    __typename
    ... on UserPayload { ${userAccess} }
    ... on NotFoundError { entity id }
    ... on ValidationError { field }
  } }`;

/** The scopes a token needs to read the payloads above. */
const readsPayload = "users:read roles:read applications:read";

/** Refused for lacking exactly these scopes, not for some other missing one. */
function expectDeniedFor(result: Awaited<ReturnType<typeof graphql>>, missingScopes: string[]) {
  expectAccessDenied(result);
  expect(result.errors?.map((error: any) => error.extensions?.missingScopes)).toEqual([missingScopes]);
}

async function grantsOf(userId: string) {
  const rows = await gateway.database.prisma.userRole.findMany({ where: { userId }, include: { role: true, tenant: true } });
  return rows.map((row) => `${row.tenant?.name ?? "*"}:${row.role.name}`).sort();
}

describe("roles of a user", () => {
  it("adds realm-wide roles, keeps ones already held, and records the change", async () => {
    const user = await insertUser(gateway);
    const [a, b] = [await insertRole(gateway, { name: "ua-a" }), await insertRole(gateway, { name: "ua-b" })];
    const first = await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id] } });
    expect(first.addUserRoles.user.roles.map((role: any) => role.name)).toEqual(["ua-a"]);
    const second = await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id, b.id, a.id] } });
    expect(second.addUserRoles.__typename).toBe("UserPayload");
    expect(await grantsOf(user.id)).toEqual(["*:ua-a", "*:ua-b"]);
    const events = await gateway.database.prisma.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => event.action)).toEqual(["user.roles.add", "user.roles.add"]);
    expect(events[1]!.changes).toEqual({ roles: { before: ["ua-a"], after: ["ua-a", "ua-b"] } });
    expect(events[1]).toMatchObject({ actorType: "application", actorId: adminClient.clientId, targetType: "User" });
  });

  it("sets the realm-wide roles to exactly the given ones, leaving tenant roles alone", async () => {
    const user = await insertUser(gateway);
    const tenant = await insertTenant(gateway, { name: "ua-set-tenant" });
    const [a, b, c] = [await insertRole(gateway, { name: "ua-set-a" }), await insertRole(gateway, { name: "ua-set-b" }), await insertRole(gateway, { name: "ua-set-c" })];
    await graphqlOk(gateway, admin, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: tenant.id } });
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id, b.id] } });
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id], tenantId: tenant.id } });
    const set = await graphqlOk(gateway, admin, rolesMutation("setUserRoles"), { input: { userId: user.id, roleIds: [b.id, c.id] } });
    expect(set.setUserRoles.user.roles.map((role: any) => role.name)).toEqual(expect.arrayContaining(["ua-set-b", "ua-set-c"]));
    expect(await grantsOf(user.id)).toEqual(["*:ua-set-b", "*:ua-set-c", "ua-set-tenant:ua-set-a"]);
    const cleared = await graphqlOk(gateway, admin, rolesMutation("setUserRoles"), { input: { userId: user.id, roleIds: [] } });
    expect(cleared.setUserRoles.user.roles).toEqual([]);
    expect(await grantsOf(user.id)).toEqual(["ua-set-tenant:ua-set-a"]);
  });

  it("removes roles, treating roles the user does not hold as no change", async () => {
    const user = await insertUser(gateway);
    const [a, b] = [await insertRole(gateway, { name: "ua-rm-a" }), await insertRole(gateway, { name: "ua-rm-b" })];
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id] } });
    const removed = await graphqlOk(gateway, admin, rolesMutation("removeUserRoles"), { input: { userId: user.id, roleIds: [a.id, b.id] } });
    expect(removed.removeUserRoles.user.roles).toEqual([]);
    expect(await grantsOf(user.id)).toEqual([]);
  });

  it("shows each mutation's own result when one operation changes the roles twice", async () => {
    const user = await insertUser(gateway);
    const role = await insertRole(gateway, { name: "ua-twice" });
    const input = { userId: user.id, roleIds: [role.id] };
    const twice = await graphqlOk(
      gateway,
      admin,
      `mutation($input: UserRolesInput!) {
        added: addUserRoles(input: $input) { ... on UserPayload { user { roles { name } } } }
        removed: removeUserRoles(input: $input) { ... on UserPayload { user { roles { name } } } }
      }`,
      { input },
    );
    expect(twice).toEqual({ added: { user: { roles: [{ name: "ua-twice" }] } }, removed: { user: { roles: [] } } });
  });

  it("grants, sets and removes roles inside a tenant the user is a member of", async () => {
    const user = await insertUser(gateway);
    const tenant = await insertTenant(gateway, { name: "ua-tenant" });
    const [a, b] = [await insertRole(gateway, { name: "ua-t-a" }), await insertRole(gateway, { name: "ua-t-b" })];
    await graphqlOk(gateway, admin, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: tenant.id } });
    const added = await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [a.id], tenantId: tenant.id } });
    expect(added.addUserRoles.user.roles).toEqual([]);
    expect(added.addUserRoles.user.tenantRoles).toEqual([{ tenant: { name: "ua-tenant" }, role: { name: "ua-t-a" } }]);
    const inTenant = await graphqlOk(gateway, admin, `query($id: ID!, $tenant: ID!) { user(id: $id) { roles(tenantId: $tenant) { name } } }`, {
      id: user.id,
      tenant: tenant.id,
    });
    expect(inTenant.user.roles).toEqual([{ name: "ua-t-a" }]);
    await graphqlOk(gateway, admin, rolesMutation("setUserRoles"), { input: { userId: user.id, roleIds: [b.id], tenantId: tenant.id } });
    expect(await grantsOf(user.id)).toEqual(["ua-tenant:ua-t-b"]);
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: "user.roles.set" } });
    expect(event.changes).toEqual({ [`tenants.${tenant.id}.roles`]: { before: ["ua-t-a"], after: ["ua-t-b"] } });
    await graphqlOk(gateway, admin, rolesMutation("removeUserRoles"), { input: { userId: user.id, roleIds: [b.id], tenantId: tenant.id } });
    expect(await grantsOf(user.id)).toEqual([]);
  });

  it("refuses a tenant role for a user who is not a member of the tenant", async () => {
    const user = await insertUser(gateway);
    const tenant = await insertTenant(gateway);
    const role = await insertRole(gateway);
    const before = await auditEventCount(gateway);
    const result = await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id], tenantId: tenant.id } });
    expect(result.addUserRoles).toMatchObject({ __typename: "ValidationError", field: "input.tenantId" });
    expect(await grantsOf(user.id)).toEqual([]);
    expect(await auditEventCount(gateway)).toBe(before);
  });

  it("answers unknown ids and ids of another realm as not found, changing nothing", async () => {
    const user = await insertUser(gateway);
    const role = await insertRole(gateway);
    const foreignRole = await insertRole(gateway, { realmId: other.realmId });
    const foreignTenant = await insertTenant(gateway, { realmId: other.realmId });
    const foreignUser = await insertUser(gateway, { realmId: other.realmId });
    const before = await auditEventCount(gateway);
    const cases = [
      [{ userId: "usr_01jzzzzzzzzzzzzzzzzzzzzzzz", roleIds: [role.id] }, "User"],
      [{ userId: foreignUser.id, roleIds: [role.id] }, "User"],
      [{ userId: user.id, roleIds: [role.id, foreignRole.id] }, "Role"],
      [{ userId: user.id, roleIds: [role.id], tenantId: foreignTenant.id }, "Tenant"],
    ] as const;
    for (const [input, entity] of cases) {
      for (const name of ["addUserRoles", "setUserRoles", "removeUserRoles"] as const) {
        const result = await graphqlOk(gateway, admin, rolesMutation(name), { input });
        expect(result[name]).toMatchObject({ __typename: "NotFoundError", entity });
      }
    }
    expect(await grantsOf(user.id)).toEqual([]);
    expect(await gateway.database.prisma.userRole.count({ where: { userId: foreignUser.id } })).toBe(0);
    expect(await auditEventCount(gateway)).toBe(before);
  });

  it("rejects more than 100 role ids", async () => {
    const user = await insertUser(gateway);
    const roleIds = Array.from({ length: 101 }, (_, index) => `rol_01j${String(index).padStart(23, "0")}`);
    const result = await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds } });
    expect(result.addUserRoles).toMatchObject({ __typename: "ValidationError", field: "input.roleIds" });
  });

  it("needs users:roles, and only lets a caller grant management scopes it holds", async () => {
    const user = await insertUser(gateway);
    const role = await insertRole(gateway);
    const before = await auditEventCount(gateway);
    // The payload shows roles, tenants and applications: every token here may read them.
    const writer = await tokenFor(gateway, adminClient, { scope: `users:write ${readsPayload}` });
    expectDeniedFor(await graphql(gateway, writer, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id] } }), ["users:roles"]);
    expectAccessDenied(await graphql(gateway, null, rolesMutation("setUserRoles"), { input: { userId: user.id, roleIds: [role.id] } }), "UNAUTHENTICATED");

    const rolesOnly = await tokenFor(gateway, adminClient, { scope: `users:roles ${readsPayload}` });
    const powerful = await insertRole(gateway, { scopeIds: [(await managementScope(gateway, "roles:write")).id] });
    expectDeniedFor(await graphql(gateway, rolesOnly, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [powerful.id] } }), ["roles:write"]);
    expectDeniedFor(await graphql(gateway, rolesOnly, rolesMutation("setUserRoles"), { input: { userId: user.id, roleIds: [role.id, powerful.id] } }), ["roles:write"]);
    expect(await grantsOf(user.id)).toEqual([]);
    expect(await auditEventCount(gateway)).toBe(before);

    // A role without management scopes is fine; once the user holds roles:write, only a caller
    // holding it too changes the user's roles (taking the powerful role away included).
    const granted = await graphql(gateway, rolesOnly, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id] } });
    expect(granted.data.addUserRoles.__typename).toBe("UserPayload");
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [powerful.id] } });
    expectAccessDenied(await graphql(gateway, rolesOnly, rolesMutation("removeUserRoles"), { input: { userId: user.id, roleIds: [powerful.id] } }));
    const withRolesWrite = await tokenFor(gateway, adminClient, { scope: `users:roles roles:write ${readsPayload}` });
    const removed = await graphql(gateway, withRolesWrite, rolesMutation("removeUserRoles"), { input: { userId: user.id, roleIds: [powerful.id] } });
    expect(removed.data.removeUserRoles.__typename).toBe("UserPayload");
    expect(await grantsOf(user.id)).toEqual([`*:${role.name}`]);
  });
});

describe("tenants of a user", () => {
  it("adds a membership once and removes it together with the tenant's roles", async () => {
    const user = await insertUser(gateway);
    const [t1, t2] = [await insertTenant(gateway, { name: "ua-m1" }), await insertTenant(gateway, { name: "ua-m2" })];
    const role = await insertRole(gateway, { name: "ua-m-role" });
    await graphqlOk(gateway, admin, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: t1.id } });
    const again = await graphqlOk(gateway, admin, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: t1.id } });
    expect(again.addUserTenant.user.tenants).toEqual([{ name: "ua-m1" }]);
    await graphqlOk(gateway, admin, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: t2.id } });
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id], tenantId: t1.id } });
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id], tenantId: t2.id } });
    await graphqlOk(gateway, admin, rolesMutation("addUserRoles"), { input: { userId: user.id, roleIds: [role.id] } });

    const removed = await graphqlOk(gateway, admin, tenantMutation("removeUserTenant"), { input: { userId: user.id, tenantId: t1.id } });
    expect(removed.removeUserTenant.user.tenants).toEqual([{ name: "ua-m2" }]);
    expect(await grantsOf(user.id)).toEqual(["*:ua-m-role", "ua-m2:ua-m-role"]);
    const events = await gateway.database.prisma.auditEvent.findMany({ where: { targetId: user.id, action: { startsWith: "user.tenants." } }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.action, event.changes])).toEqual([
      ["user.tenants.add", { tenants: { before: [], after: ["ua-m1"] } }],
      ["user.tenants.add", {}],
      ["user.tenants.add", { tenants: { before: ["ua-m1"], after: ["ua-m1", "ua-m2"] } }],
      [
        "user.tenants.remove",
        { tenants: { before: ["ua-m1", "ua-m2"], after: ["ua-m2"] }, [`tenants.${t1.id}.roles`]: { before: ["ua-m-role"], after: [] } },
      ],
    ]);
  });

  it("answers unknown or foreign users and tenants as not found, and needs users:write", async () => {
    const user = await insertUser(gateway);
    const foreignTenant = await insertTenant(gateway, { realmId: other.realmId });
    const foreignUser = await insertUser(gateway, { realmId: other.realmId });
    const tenant = await insertTenant(gateway);
    const before = await auditEventCount(gateway);
    for (const name of ["addUserTenant", "removeUserTenant"] as const) {
      const noTenant = await graphqlOk(gateway, admin, tenantMutation(name), { input: { userId: user.id, tenantId: foreignTenant.id } });
      expect(noTenant[name]).toEqual({ __typename: "NotFoundError", entity: "Tenant", id: foreignTenant.id });
      const noUser = await graphqlOk(gateway, admin, tenantMutation(name), { input: { userId: foreignUser.id, tenantId: tenant.id } });
      expect(noUser[name]).toEqual({ __typename: "NotFoundError", entity: "User", id: foreignUser.id });
      // The other realm's admin cannot reach this realm's user either.
      const theirs = await graphqlOk(gateway, other.token, tenantMutation(name), { input: { userId: user.id, tenantId: foreignTenant.id } });
      expect(theirs[name]).toEqual({ __typename: "NotFoundError", entity: "User", id: user.id });
    }
    const reader = await tokenFor(gateway, adminClient, { scope: `users:roles ${readsPayload}` });
    expectDeniedFor(await graphql(gateway, reader, tenantMutation("addUserTenant"), { input: { userId: user.id, tenantId: tenant.id } }), ["users:write"]);
    expect(await gateway.database.prisma.userTenant.count({ where: { userId: { in: [user.id, foreignUser.id] } } })).toBe(0);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("applications of a user", () => {
  it("adds, sets and removes applications", async () => {
    const user = await insertUser(gateway);
    const [a, b, c] = [
      await insertApplication(gateway, { name: "ua-app-a" }),
      await insertApplication(gateway, { name: "ua-app-b" }),
      await insertApplication(gateway, { name: "ua-app-c" }),
    ];
    const added = await graphqlOk(gateway, admin, applicationsMutation("addUserApplications"), { input: { userId: user.id, applicationIds: [a.id, b.id] } });
    expect(added.addUserApplications.user.applications.map((app: any) => app.name).sort()).toEqual(["ua-app-a", "ua-app-b"]);
    const set = await graphqlOk(gateway, admin, applicationsMutation("setUserApplications"), { input: { userId: user.id, applicationIds: [b.id, c.id] } });
    expect(set.setUserApplications.user.applications.map((app: any) => app.name).sort()).toEqual(["ua-app-b", "ua-app-c"]);
    const removed = await graphqlOk(gateway, admin, applicationsMutation("removeUserApplications"), { input: { userId: user.id, applicationIds: [c.id, a.id] } });
    expect(removed.removeUserApplications.user.applications.map((app: any) => app.name)).toEqual(["ua-app-b"]);
    const events = await gateway.database.prisma.auditEvent.findMany({ where: { targetId: user.id }, orderBy: { id: "asc" } });
    expect(events.map((event) => [event.action, event.changes])).toEqual([
      ["user.applications.add", { applications: { before: [], after: ["ua-app-a", "ua-app-b"] } }],
      ["user.applications.set", { applications: { before: ["ua-app-a", "ua-app-b"], after: ["ua-app-b", "ua-app-c"] } }],
      ["user.applications.remove", { applications: { before: ["ua-app-b", "ua-app-c"], after: ["ua-app-b"] } }],
    ]);
    const filtered = await graphqlOk(gateway, admin, `query($app: ID!) { users(filter: { applicationId: $app }) { edges { node { id } } } }`, { app: b.id });
    expect(filtered.users.edges).toEqual([{ node: { id: user.id } }]);
  });

  it("answers unknown or foreign applications as not found, changing nothing, and needs users:write", async () => {
    const user = await insertUser(gateway);
    const mine = await insertApplication(gateway);
    const foreign = await insertApplication(gateway, { realmId: other.realmId });
    await graphqlOk(gateway, admin, applicationsMutation("addUserApplications"), { input: { userId: user.id, applicationIds: [mine.id] } });
    const before = await auditEventCount(gateway);
    for (const name of ["addUserApplications", "setUserApplications", "removeUserApplications"] as const) {
      const result = await graphqlOk(gateway, admin, applicationsMutation(name), { input: { userId: user.id, applicationIds: [foreign.id] } });
      expect(result[name]).toEqual({ __typename: "NotFoundError", entity: "Application", id: foreign.id });
      const unknown = await graphqlOk(gateway, admin, applicationsMutation(name), { input: { userId: "usr_nope", applicationIds: [mine.id] } });
      expect(unknown[name]).toMatchObject({ __typename: "NotFoundError", entity: "User" });
    }
    const reader = await tokenFor(gateway, adminClient, { scope: readsPayload });
    expectDeniedFor(await graphql(gateway, reader, applicationsMutation("setUserApplications"), { input: { userId: user.id, applicationIds: [] } }), ["users:write"]);
    expect(await gateway.database.prisma.userApplication.findMany({ where: { userId: user.id }, select: { applicationId: true } })).toEqual([
      { applicationId: mine.id },
    ]);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});
