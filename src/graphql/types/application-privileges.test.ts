// Privilege containment for applications and management keys (issue 13): `applications:write`
// manages the applications and keys whose management scopes it holds itself, never a more
// privileged one, and no one leaves a realm without an administrator.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, requestToken, tokenFor, type ClientCredentials } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied, insertRole, managementScope } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { managementAdminRoleName, managementScopes } from "../../services/management-api.js";

let gateway: TestGateway;
let adminToken: string;
let adminApplicationId: string;
let adminRoleId: string;
/** A token of an application whose role holds `applications:read applications:write` only. */
let managerToken: string;
/** A role holding `applications:read`, which the manager may hand on. */
let readerRoleId: string;

const createApplication = `mutation($input: CreateApplicationInput!) {
  createApplication(input: $input) { ... on ApplicationSecretPayload { application { id clientId } clientSecret } }
}`;
const rotateSecret = `mutation($id: ID!) {
  rotateApplicationSecret(input: { id: $id }) { ... on ApplicationSecretPayload { clientSecret } }
}`;
const deleteApplication = `mutation($id: ID!) { deleteApplication(input: { id: $id }) { ... on DeletePayload { deletedId } } }`;
const assignRoles = `mutation($id: ID!, $roleIds: [ID!]!) {
  assignRolesToApplication(input: { applicationId: $id, roleIds: $roleIds }) { ... on ApplicationPayload { application { id } } }
}`;
const removeRoles = `mutation($id: ID!, $roleIds: [ID!]!) {
  removeRolesFromApplication(input: { applicationId: $id, roleIds: $roleIds }) { ... on ApplicationPayload { application { id } } }
}`;
const updateApplication = `mutation($input: UpdateApplicationInput!) {
  updateApplication(input: $input) { ... on ApplicationPayload { application { name redirectUris grantTypes } } }
}`;
const createKey = `mutation($input: CreateManagementKeyInput!) {
  createManagementKey(input: $input) { ... on CreateManagementKeyPayload { key managementKey { id } } }
}`;
const revokeKey = `mutation($id: ID!) { revokeManagementKey(input: { id: $id }) { ... on ManagementKeyPayload { managementKey { revokedAt } } } }`;

/** Creates an m2m application through the API and returns its id and credentials. */
async function newApplication(token: string, roleIds: string[] = []): Promise<{ id: string; client: ClientCredentials }> {
  const created = (await graphqlOk(gateway, token, createApplication, { input: { name: "worker", type: "m2m", roleIds } })).createApplication;
  return { id: created.application.id, client: { clientId: created.application.clientId, clientSecret: created.clientSecret } };
}

const generationOf = async (id: string) =>
  (await gateway.database.prisma.application.findUniqueOrThrow({ where: { id } })).tokenGeneration;

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  const prisma = gateway.database.prisma;
  adminApplicationId = (await prisma.application.findUniqueOrThrow({ where: { clientId: adminClient.clientId } })).id;
  adminRoleId = (await prisma.role.findFirstOrThrow({ where: { realmId: gateway.defaultRealmId, name: managementAdminRoleName } })).id;
  const [read, write] = await Promise.all(["applications:read", "applications:write"].map((name) => managementScope(gateway, name)));
  readerRoleId = (await insertRole(gateway, { scopeIds: [read!.id] })).id;
  const managerRole = await insertRole(gateway, { scopeIds: [read!.id, write!.id] });
  managerToken = await tokenFor(gateway, (await newApplication(adminToken, [managerRole.id])).client);
});
afterAll(() => gateway.close());

describe("applications:write never takes over a more privileged application", () => {
  it("cannot rotate the admin application's secret: 403 naming what it lacks, and the old secret still works", async () => {
    const generation = await generationOf(adminApplicationId);
    const result = await graphql(gateway, managerToken, rotateSecret, { id: adminApplicationId });
    expectAccessDenied(result);
    expect(result.data?.rotateApplicationSecret ?? null).toBeNull();
    expect((result.errors?.[0]?.extensions as { missingScopes?: string[] }).missingScopes).toContain("users:write");
    expect(await tokenFor(gateway)).toEqual(expect.any(String));
    expect(await generationOf(adminApplicationId)).toBe(generation);
  });

  it("cannot delete it, change its roles, grant types or redirect URIs; nothing is written", async () => {
    const audits = await auditEventCount(gateway);
    for (const [query, variables] of [
      [deleteApplication, { id: adminApplicationId }],
      [removeRoles, { id: adminApplicationId, roleIds: [adminRoleId] }],
      [assignRoles, { id: adminApplicationId, roleIds: [readerRoleId] }],
      [updateApplication, { input: { id: adminApplicationId, grantTypes: [] } }],
      [updateApplication, { input: { id: adminApplicationId, redirectUris: ["https://attacker.test/cb"] } }],
    ] as const) {
      expectAccessDenied(await graphql(gateway, managerToken, query, variables));
    }
    const admin = await gateway.database.prisma.application.findUniqueOrThrow({ where: { id: adminApplicationId }, include: { roles: true } });
    expect(admin).toMatchObject({ grantTypes: ["client_credentials"], redirectUris: [], roles: [{ roleId: adminRoleId }] });
    expect(await auditEventCount(gateway)).toBe(audits);
  });

  it("may still rename it: a name and a description are no credentials", async () => {
    const renamed = await graphqlOk(gateway, managerToken, updateApplication, {
      input: { id: adminApplicationId, name: "Bootstrap admin", description: "Created at first start" },
    });
    expect(renamed.updateApplication.application).toEqual({ name: "Bootstrap admin", redirectUris: [], grantTypes: ["client_credentials"] });
  });

  it("cannot give an application a role holding scopes it lacks (grant ceiling)", async () => {
    expectAccessDenied(await graphql(gateway, managerToken, createApplication, { input: { name: "admin 2", type: "m2m", roleIds: [adminRoleId] } }));
    const worker = await newApplication(managerToken);
    expectAccessDenied(await graphql(gateway, managerToken, assignRoles, { id: worker.id, roleIds: [adminRoleId] }));
  });

  it("manages applications whose roles it fully holds; every change to their credentials ends their earlier tokens", async () => {
    const worker = await newApplication(managerToken, [readerRoleId]);
    await tokenFor(gateway, worker.client);
    const plainRole = await insertRole(gateway);
    let generation = await generationOf(worker.id);
    const movesOn = async () => {
      const next = await generationOf(worker.id);
      expect(next).toBeGreaterThan(generation);
      generation = next;
    };

    const rotated = await graphqlOk(gateway, managerToken, rotateSecret, { id: worker.id });
    expect(rotated.rotateApplicationSecret.clientSecret).not.toBe(worker.client.clientSecret);
    const oldSecret = await requestToken(gateway, { grant_type: "client_credentials", client_id: worker.client.clientId, client_secret: worker.client.clientSecret });
    expect(oldSecret.status).toBe(401);
    await movesOn();
    await graphqlOk(gateway, managerToken, assignRoles, { id: worker.id, roleIds: [plainRole.id] });
    await movesOn();
    await graphqlOk(gateway, managerToken, removeRoles, { id: worker.id, roleIds: [readerRoleId] });
    await movesOn();
    await graphqlOk(gateway, managerToken, updateApplication, { input: { id: worker.id, grantTypes: [] } });
    await movesOn();
    await graphqlOk(gateway, managerToken, updateApplication, { input: { id: worker.id, redirectUris: ["https://worker.test/cb"] } });
    expect((await graphqlOk(gateway, managerToken, deleteApplication, { id: worker.id })).deleteApplication.deletedId).toBe(worker.id);
    expect(await gateway.database.prisma.application.findUnique({ where: { id: worker.id } })).toBeNull();
  });
});

describe("the realm keeps an administrator", () => {
  it("refuses to delete or demote the last administrator application, even to the administrator itself", async () => {
    const realm = await createOtherRealm(gateway, adminToken);
    const prisma = gateway.database.prisma;
    const first = await prisma.application.findFirstOrThrow({ where: { realmId: realm.realmId } });
    const roleId = (await prisma.role.findFirstOrThrow({ where: { realmId: realm.realmId, name: managementAdminRoleName } })).id;

    for (const [query, variables] of [
      [deleteApplication, { id: first.id }],
      [removeRoles, { id: first.id, roleIds: [roleId] }],
      [updateApplication, { input: { id: first.id, grantTypes: [] } }],
    ] as const) {
      const refused = await graphql(gateway, realm.token, query, variables);
      expectAccessDenied(refused);
      expect(refused.errors?.[0]?.message).toMatch(/without an administrator/);
    }
    expect(await prisma.applicationRole.count({ where: { applicationId: first.id } })).toBe(1);

    // With a second administrator, the first may go; the second is then the last one.
    const second = await newApplication(realm.token, [roleId]);
    const secondToken = await tokenFor(gateway, second.client, { realmId: realm.realmId });
    await graphqlOk(gateway, secondToken, deleteApplication, { id: first.id });
    expectAccessDenied(await graphql(gateway, secondToken, removeRoles, { id: second.id, roleIds: [roleId] }));
  });
});

describe("management keys", () => {
  const keyWith = async (token: string, scopes: readonly string[]) =>
    (await graphqlOk(gateway, token, createKey, { input: { name: "key", scopes } })).createManagementKey as { key: string; managementKey: { id: string } };

  it("a key with applications:write cannot revoke a more privileged key, only one within its own scopes", async () => {
    const small = await keyWith(adminToken, ["applications:read", "applications:write"]);
    const big = await keyWith(adminToken, ["applications:write", "users:write"]);
    const smaller = await keyWith(adminToken, ["applications:read"]);

    expectAccessDenied(await graphql(gateway, small.key, revokeKey, { id: big.managementKey.id }));
    expect((await graphql(gateway, big.key, "{ realm { id } }")).status).toBe(200);
    const revoked = await graphqlOk(gateway, small.key, revokeKey, { id: smaller.managementKey.id });
    expect(revoked.revokeManagementKey.managementKey.revokedAt).toEqual(expect.any(String));
  });

  it("the last administrator key cannot be revoked", async () => {
    const realm = await createOtherRealm(gateway, adminToken);
    const adminKey = await keyWith(realm.token, managementScopes.map((scope) => scope.name));
    const application = await gateway.database.prisma.application.findFirstOrThrow({ where: { realmId: realm.realmId } });
    await graphqlOk(gateway, adminKey.key, deleteApplication, { id: application.id });
    const refused = await graphql(gateway, adminKey.key, revokeKey, { id: adminKey.managementKey.id });
    expectAccessDenied(refused);
    expect(refused.errors?.[0]?.message).toMatch(/without an administrator/);
  });
});
