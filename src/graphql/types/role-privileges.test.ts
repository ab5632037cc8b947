// What `roles:write` may do to privileges: give out only the management scopes the caller holds,
// change only roles holding no more than the caller, never leave the realm without an
// administrator, and end the tokens of applications whose role lost scopes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, requestToken, tokenFor, type ClientCredentials } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { bootstrap } from "../../services/bootstrap.js";
import { managementAdminRoleName } from "../../services/management-api.js";

let gateway: TestGateway;
let admin: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
});
afterAll(() => gateway.close());

let sequence = 0;
const unique = (stem: string) => `${stem}-${++sequence}`;

const roleMutation = (name: string, inputType: string, selection = "... on RolePayload { role { id } }") =>
  `mutation($input: ${inputType}!) { ${name}(input: $input) { __typename ${selection} ... on Error { message } } }`;
const createRole = roleMutation("createRole", "CreateRoleInput");
const updateRole = roleMutation("updateRole", "UpdateRoleInput");
const assignScopes = roleMutation("assignScopesToRole", "RoleScopesInput");
const removeScopes = roleMutation("removeScopesFromRole", "RoleScopesInput");
const deleteRole = roleMutation("deleteRole", "DeleteRoleInput", "... on DeletePayload { deletedId }");

/** The management scopes of a realm, by name. */
async function managementScopeIds(realmId = gateway.defaultRealmId): Promise<Map<string, string>> {
  const scopes = await gateway.database.prisma.scope.findMany({ where: { realmId, resource: { isManagement: true } } });
  return new Map(scopes.map((scope) => [scope.name, scope.id]));
}

async function scopeNamesOfRole(roleId: string): Promise<string[]> {
  const grants = await gateway.database.prisma.roleScope.findMany({ where: { roleId }, select: { scope: { select: { name: true } } } });
  return grants.map((grant) => grant.scope.name).sort();
}

/** An m2m application whose only role grants these scopes, made by `token`'s realm administrator. */
async function applicationWithRole(token: string, scopeIds: string[]) {
  const role = await graphqlOk(gateway, token, createRole, { input: { name: unique("holder"), scopeIds } });
  const app = await graphqlOk(
    gateway,
    token,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) {
      ... on ApplicationSecretPayload { application { id clientId } clientSecret } } }`,
    { input: { name: unique("client"), type: "m2m", roleIds: [role.createRole.role.id] } },
  );
  const credentials: ClientCredentials = {
    clientId: app.createApplication.application.clientId,
    clientSecret: app.createApplication.clientSecret,
  };
  return {
    roleId: role.createRole.role.id as string,
    applicationId: app.createApplication.application.id as string,
    credentials,
  };
}

/** The same, with a management token of the application. */
async function clientWithRole(token: string, scopeIds: string[], realmId?: string) {
  const application = await applicationWithRole(token, scopeIds);
  return { ...application, token: await tokenFor(gateway, application.credentials, { realmId }) };
}

/** A client of the default realm holding exactly these management scopes. */
async function limitedClient(scopes: string[]) {
  const ids = await managementScopeIds();
  return clientWithRole(admin, scopes.map((scope) => ids.get(scope)!));
}

/** The scopes the client's next client_credentials token carries. */
async function scopesOfNextToken(credentials: ClientCredentials): Promise<string[]> {
  const response = await requestToken(gateway, {
    grant_type: "client_credentials",
    client_id: credentials.clientId,
    client_secret: credentials.clientSecret,
  });
  return String((await response.json()).scope).split(" ").sort();
}

async function customScope(name: string): Promise<string> {
  const resource = await graphqlOk(
    gateway,
    admin,
    `mutation($input: CreateResourceInput!) { createResource(input: $input) { ... on ResourcePayload { resource { id } } } }`,
    { input: { name: unique("API"), indicator: `https://${unique("api")}.example.test` } },
  );
  const scope = await graphqlOk(
    gateway,
    admin,
    `mutation($input: CreateScopeInput!) { createScope(input: $input) { ... on ScopePayload { scope { id } } } }`,
    { input: { resourceId: resource.createResource.resource.id, name } },
  );
  return scope.createScope.scope.id;
}

const tokenGeneration = async (applicationId: string) =>
  (await gateway.database.prisma.application.findUniqueOrThrow({ where: { id: applicationId } })).tokenGeneration;

describe("grant ceiling: roles:write gives out only the management scopes its caller holds", () => {
  it("a roles:write client cannot give its own role every management scope; its next token carries only its own", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const allScopeIds = [...(await managementScopeIds()).values()];
    const audits = await auditEventCount(gateway);

    const result = await graphql(gateway, client.token, assignScopes, { input: { roleId: client.roleId, scopeIds: allScopeIds } });

    expectAccessDenied(result);
    expect((result.errors![0]!.extensions as any).missingScopes).toEqual(expect.arrayContaining(["realms:write", "users:write"]));
    expect(await scopeNamesOfRole(client.roleId)).toEqual(["roles:read", "roles:write"]);
    expect(await auditEventCount(gateway)).toBe(audits);
    expect(await scopesOfNextToken(client.credentials)).toEqual(["roles:read", "roles:write"]);
  });

  it("nor create a role with management scopes it lacks", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const ids = await managementScopeIds();
    const name = unique("escalator");
    const result = await graphql(gateway, client.token, createRole, {
      input: { name, scopeIds: [ids.get("roles:read"), ids.get("applications:write")] },
    });
    expectAccessDenied(result);
    expect((result.errors![0]!.extensions as any).missingScopes).toEqual(["applications:write"]);
    expect(await gateway.database.prisma.role.count({ where: { name } })).toBe(0);
  });

  it("still gives out the management scopes it holds and the scopes of the realm's own APIs", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const ids = await managementScopeIds();
    const ownApiScope = await customScope("read:reports");
    const created = await graphqlOk(gateway, client.token, createRole, { input: { name: unique("reader"), scopeIds: [ids.get("roles:read"), ownApiScope] } });
    expect(created.createRole.__typename).toBe("RolePayload");
    expect(await scopeNamesOfRole(created.createRole.role.id)).toEqual(["read:reports", "roles:read"]);
    await graphqlOk(gateway, client.token, assignScopes, { input: { roleId: client.roleId, scopeIds: [ownApiScope] } });
    expect(await scopeNamesOfRole(client.roleId)).toEqual(["read:reports", "roles:read", "roles:write"]);
  });
});

describe("target ceiling: roles:write changes the privileges of roles holding no more than its caller", () => {
  it("a limited client cannot add to, remove scopes from or delete a role holding scopes it lacks", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const strong = await limitedClient(["users:read", "users:write", "roles:read"]);
    const ids = await managementScopeIds();
    const ownApiScope = await customScope("write:reports");
    const audits = await auditEventCount(gateway);

    for (const [operation, input] of [
      [removeScopes, { roleId: strong.roleId, scopeIds: [ids.get("users:write")] }],
      [removeScopes, { roleId: strong.roleId, scopeIds: [ids.get("roles:read")] }],
      [assignScopes, { roleId: strong.roleId, scopeIds: [ownApiScope] }],
      [deleteRole, { id: strong.roleId }],
    ] as const) {
      const result = await graphql(gateway, client.token, operation, { input });
      expectAccessDenied(result);
      expect((result.errors![0]!.extensions as any).missingScopes).toEqual(["users:read", "users:write"]);
    }
    expect(await scopeNamesOfRole(strong.roleId)).toEqual(["roles:read", "users:read", "users:write"]);
    expect(await auditEventCount(gateway)).toBe(audits);
  });

  it("changes roles within its own scopes", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const ids = await managementScopeIds();
    const weaker = await graphqlOk(gateway, admin, createRole, { input: { name: unique("weaker"), scopeIds: [ids.get("roles:read")] } });
    const roleId = weaker.createRole.role.id;
    const removed = await graphqlOk(gateway, client.token, removeScopes, { input: { roleId, scopeIds: [ids.get("roles:read")] } });
    expect(removed.removeScopesFromRole.__typename).toBe("RolePayload");
    expect(await scopeNamesOfRole(roleId)).toEqual([]);
    const deleted = await graphqlOk(gateway, client.token, deleteRole, { input: { id: roleId } });
    expect(deleted.deleteRole).toEqual({ __typename: "DeletePayload", deletedId: roleId });
  });
});

describe("the realm keeps an administrator", () => {
  it("refuses to strip or delete the last administrator's role, and allows it once another administrator exists", async () => {
    const realm = await createOtherRealm(gateway, admin);
    const adminRole = await gateway.database.prisma.role.findUniqueOrThrow({ where: { realmId_name: { realmId: realm.realmId, name: managementAdminRoleName } } });
    const ids = await managementScopeIds(realm.realmId);
    const everyScope = await scopeNamesOfRole(adminRole.id);

    for (const [operation, input] of [
      [removeScopes, { roleId: adminRole.id, scopeIds: [ids.get("roles:write")] }],
      [deleteRole, { id: adminRole.id }],
    ] as const) {
      expectAccessDenied(await graphql(gateway, realm.token, operation, { input }));
    }
    expect(await scopeNamesOfRole(adminRole.id)).toEqual(everyScope);

    const second = await clientWithRole(realm.token, [...ids.values()], realm.realmId);
    await graphqlOk(gateway, second.token, removeScopes, { input: { roleId: adminRole.id, scopeIds: [ids.get("roles:write")] } });
    expect(await scopeNamesOfRole(adminRole.id)).toEqual(everyScope.filter((scope) => scope !== "roles:write"));
    expect((await graphqlOk(gateway, second.token, deleteRole, { input: { id: adminRole.id } })).deleteRole.__typename).toBe("DeletePayload");
    // The second administrator is now the last: its role stays whole.
    expectAccessDenied(await graphql(gateway, second.token, deleteRole, { input: { id: second.roleId } }));
  });
});

describe("the built-in administrator role", () => {
  it("keeps its name, which no other role may take: start-up gives the role of that name every management scope", async () => {
    const client = await limitedClient(["roles:read", "roles:write"]);
    const adminRole = await gateway.database.prisma.role.findUniqueOrThrow({
      where: { realmId_name: { realmId: gateway.defaultRealmId, name: managementAdminRoleName } },
    });

    const renameAdmin = await graphql(gateway, client.token, updateRole, { input: { id: adminRole.id, name: unique("former-admin") } });
    const takeName = await graphql(gateway, client.token, updateRole, { input: { id: client.roleId, name: managementAdminRoleName } });
    await bootstrap(gateway.database.prisma, adminClient); // the next start
    expect(await scopesOfNextToken(client.credentials)).toEqual(["roles:read", "roles:write"]);
    expectAccessDenied(renameAdmin);
    expectAccessDenied(takeName);

    expectAccessDenied(await graphql(gateway, admin, updateRole, { input: { id: adminRole.id, name: unique("former-admin") } }));
    const described = await graphqlOk(gateway, admin, updateRole, { input: { id: adminRole.id, description: "Everything" } });
    expect(described.updateRole.__typename).toBe("RolePayload");
    expect((await gateway.database.prisma.role.findUniqueOrThrow({ where: { id: adminRole.id } })).name).toBe(managementAdminRoleName);
  });

  it("once deleted, its name stays reserved", async () => {
    const realm = await createOtherRealm(gateway, admin);
    const second = await clientWithRole(realm.token, [...(await managementScopeIds(realm.realmId)).values()], realm.realmId);
    const adminRole = await gateway.database.prisma.role.findUniqueOrThrow({ where: { realmId_name: { realmId: realm.realmId, name: managementAdminRoleName } } });
    await graphqlOk(gateway, second.token, deleteRole, { input: { id: adminRole.id } });
    expectAccessDenied(await graphql(gateway, second.token, createRole, { input: { name: managementAdminRoleName } }));
  });
});

describe("revocation", () => {
  it("moves on the token generation of applications holding a role that loses scopes or is deleted", async () => {
    const scopeId = await customScope("read:ledger");
    const holder = await applicationWithRole(admin, [scopeId]);
    const bystander = await applicationWithRole(admin, [scopeId]);
    const before = await tokenGeneration(holder.applicationId);
    const bystanderBefore = await tokenGeneration(bystander.applicationId);

    await graphqlOk(gateway, admin, assignScopes, { input: { roleId: holder.roleId, scopeIds: [await customScope("write:ledger")] } });
    expect(await tokenGeneration(holder.applicationId)).toBe(before);
    await graphqlOk(gateway, admin, removeScopes, { input: { roleId: holder.roleId, scopeIds: [scopeId] } });
    expect(await tokenGeneration(holder.applicationId)).toBe(before + 1);
    await graphqlOk(gateway, admin, deleteRole, { input: { id: holder.roleId } });
    expect(await tokenGeneration(holder.applicationId)).toBe(before + 2);
    expect(await tokenGeneration(bystander.applicationId)).toBe(bystanderBefore);
  });
});
