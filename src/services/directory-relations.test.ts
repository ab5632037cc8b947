// readRelations answers what Prisma's relation reads answer, row for row (timestamps, arrays,
// JSON included), for many owners and several kinds in one statement, and never crosses a realm.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { newId } from "../db/ids.js";
import { readRelations, type RelationKey } from "./directory-relations.js";

let database: TestDatabase;
const statements: string[] = [];
const realmId = newId("realm");
const otherRealmId = newId("realm");
const ids = {
  users: [newId("user"), newId("user"), newId("user")],
  roles: [newId("role"), newId("role")],
  tenant: newId("tenant"),
  application: newId("application"),
  resource: newId("resource"),
  scopes: [newId("scope"), newId("scope")],
  strangerRole: newId("role"),
};

beforeAll(async () => {
  database = await openTestDatabase({ onQuery: (sql) => statements.push(sql) });
  const prisma = database.prisma;
  await prisma.realm.createMany({ data: [{ id: realmId, name: `relations-${realmId}` }, { id: otherRealmId, name: `relations-${otherRealmId}` }] });
  await prisma.resource.create({ data: { id: ids.resource, realmId, name: "Posts", indicator: "https://posts.relations.test" } });
  await prisma.scope.createMany({ data: ids.scopes.map((id, index) => ({ id, realmId, resourceId: ids.resource, name: `scope:${index}` })) });
  await prisma.role.createMany({ data: ids.roles.map((id, index) => ({ id, realmId, name: `role ${index}`, description: index ? null : "first" })) });
  await prisma.role.create({ data: { id: ids.strangerRole, realmId: otherRealmId, name: "stranger" } });
  await prisma.roleScope.createMany({ data: ids.scopes.map((scopeId) => ({ roleId: ids.roles[0]!, scopeId })) });
  await prisma.tenant.create({ data: { id: ids.tenant, realmId, name: "acme", customAttributes: { plan: "gold", seats: 3 } } });
  await prisma.application.create({
    data: { id: ids.application, realmId, name: "app", type: "web", clientId: `client-${ids.application}`, redirectUris: ["https://a.test/cb"] },
  });
  await prisma.applicationRole.create({ data: { applicationId: ids.application, roleId: ids.roles[1]! } });
  await prisma.user.createMany({ data: ids.users.map((id) => ({ id, realmId })) });
  const [ada, bob] = ids.users as [string, string];
  await prisma.userRole.createMany({
    data: [
      { id: newId("userRole"), userId: ada, roleId: ids.roles[1]! },
      { id: newId("userRole"), userId: ada, roleId: ids.roles[0]! },
      { id: newId("userRole"), userId: ada, roleId: ids.roles[0]!, tenantId: ids.tenant },
      { id: newId("userRole"), userId: bob, roleId: ids.strangerRole },
    ],
  });
  await prisma.userTenant.create({ data: { userId: ada, tenantId: ids.tenant } });
  await prisma.userApplication.create({ data: { userId: bob, applicationId: ids.application } });
});
afterAll(() => database?.close());

async function read(keys: RelationKey[]) {
  statements.length = 0;
  const result = await readRelations(database.read, realmId, keys);
  return { result, statements: statements.length };
}

describe("readRelations", () => {
  it("reads every kind asked for, for every owner, in one statement, in the keys' order", async () => {
    const [ada, bob, cyd] = ids.users as [string, string, string];
    const prisma = database.prisma;
    const { result, statements } = await read([
      { relation: "rolesOfUser", owner: ada },
      { relation: "tenantsOfUser", owner: ada },
      { relation: "applicationsOfUser", owner: bob },
      { relation: "rolesOfUser", owner: cyd },
      { relation: "scopesOfRole", owner: ids.roles[0]! },
      { relation: "rolesOfApplication", owner: ids.application },
      { relation: "tenantById", owner: ids.tenant },
      { relation: "resourceById", owner: ids.resource },
    ]);
    expect(statements).toBe(1);
    const grants = await prisma.userRole.findMany({ where: { userId: ada }, include: { role: true }, orderBy: [{ tenantId: { sort: "asc", nulls: "first" } }, { roleId: "asc" }] });
    expect(result[0]).toEqual(grants.map((grant) => ({ via: grant.tenantId, row: grant.role })));
    expect(result[1]).toEqual([{ via: null, row: await prisma.tenant.findUniqueOrThrow({ where: { id: ids.tenant } }) }]);
    expect(result[2]).toEqual([{ via: null, row: await prisma.application.findUniqueOrThrow({ where: { id: ids.application } }) }]);
    expect(result[3]).toEqual([]);
    expect(result[4]!.map((related) => related.row)).toEqual(await prisma.scope.findMany({ where: { id: { in: ids.scopes } }, orderBy: { id: "asc" } }));
    expect(result[5]!.map((related) => related.row)).toEqual([await prisma.role.findUniqueOrThrow({ where: { id: ids.roles[1]! } })]);
    expect(result[6]![0]!.row).toEqual(await prisma.tenant.findUniqueOrThrow({ where: { id: ids.tenant } }));
    expect(result[7]![0]!.row).toEqual(await prisma.resource.findUniqueOrThrow({ where: { id: ids.resource } }));
  });

  it("leaves out rows of another realm, even when a link points at them", async () => {
    const { result } = await read([
      { relation: "rolesOfUser", owner: ids.users[1]! },
      { relation: "tenantById", owner: ids.tenant },
    ]);
    expect(result[0]).toEqual([]);
    expect((await readRelations(database.read, otherRealmId, [{ relation: "tenantById", owner: ids.tenant }]))[0]).toEqual([]);
  });
});
