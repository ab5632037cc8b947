// Rows written straight into a test gateway's database, for tests that need users, roles,
// tenants or applications without going through the mutations that create them.
import { expect } from "vitest";
import { newId } from "../../src/db/ids.js";
import type { Prisma } from "../../src/generated/prisma/client.js";
import { graphqlOk, tokenFor } from "./api-client.js";
import type { TestGateway } from "./gateway.js";

let sequence = 0;
const unique = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${++sequence}`;

export async function insertUser(gateway: TestGateway, data: Partial<Prisma.UserUncheckedCreateInput> = {}) {
  return gateway.database.prisma.user.create({
    data: { id: newId("user"), realmId: gateway.defaultRealmId, email: `${unique("user")}@example.test`, ...data },
  });
}

export async function insertRole(gateway: TestGateway, data: { realmId?: string; name?: string; scopeIds?: string[] } = {}) {
  return gateway.database.prisma.role.create({
    data: {
      id: newId("role"),
      realmId: data.realmId ?? gateway.defaultRealmId,
      name: data.name ?? unique("role"),
      scopes: { create: (data.scopeIds ?? []).map((scopeId) => ({ scopeId })) },
    },
  });
}

export async function insertTenant(gateway: TestGateway, data: { realmId?: string; name?: string } = {}) {
  return gateway.database.prisma.tenant.create({
    data: { id: newId("tenant"), realmId: data.realmId ?? gateway.defaultRealmId, name: data.name ?? unique("tenant") },
  });
}

export async function insertApplication(gateway: TestGateway, data: { realmId?: string; name?: string } = {}) {
  return gateway.database.prisma.application.create({
    data: {
      id: newId("application"),
      realmId: data.realmId ?? gateway.defaultRealmId,
      name: data.name ?? unique("app"),
      type: "spa",
      clientId: unique("client"),
    },
  });
}

/**
 * A user of the realm holding, through a realm-wide role, every management scope: an
 * administrator, whom only a caller holding every management scope may act on.
 */
export async function insertAdministratorUser(gateway: TestGateway, data: Partial<Prisma.UserUncheckedCreateInput> = {}) {
  const realmId = data.realmId ?? gateway.defaultRealmId;
  const scopes = await gateway.database.prisma.scope.findMany({ where: { realmId, resource: { isManagement: true } }, select: { id: true } });
  const role = await insertRole(gateway, { realmId, scopeIds: scopes.map((scope) => scope.id) });
  const user = await insertUser(gateway, { ...data, realmId });
  await gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: user.id, roleId: role.id } });
  return user;
}

/** The management scope of the default realm with this name. */
export async function managementScope(gateway: TestGateway, name: string) {
  return gateway.database.prisma.scope.findFirstOrThrow({
    where: { realmId: gateway.defaultRealmId, name, resource: { isManagement: true } },
  });
}

/** A second realm, created through the API, with a token of its own admin application. */
export async function createOtherRealm(gateway: TestGateway, adminToken: string) {
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($name: String!) { createRealm(input: { name: $name }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
    { name: unique("realm") },
  );
  const realmId: string = created.createRealm.realm.id;
  const token = await tokenFor(
    gateway,
    { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret },
    { realmId },
  );
  return { realmId, token };
}

/** Every audit event of the database, for "a failed mutation leaves no trace" checks. */
export async function auditEventCount(gateway: TestGateway): Promise<number> {
  return gateway.database.prisma.auditEvent.count();
}

/** Asserts the result is a top-level access error with this code (403 insufficient_scope by default). */
export function expectAccessDenied(result: { status: number; errors?: Array<{ extensions?: { code?: string } }> }, code = "insufficient_scope") {
  expect(result.status).toBe(code === "insufficient_scope" ? 403 : 401);
  expect(result.errors?.map((error) => error.extensions?.code)).toContain(code);
}
