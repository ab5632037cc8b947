// Tenants through HTTP: create, update, delete (with memberships and tenant roles), members.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied, insertAdministratorUser, insertRole, insertTenant, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
});
afterAll(() => gateway.close());

const createTenant = `mutation($input: CreateTenantInput!) { createTenant(input: $input) {
  __typename
  ... on TenantPayload { tenant { id name customAttributes } }
  ... on ConflictError { conflictField: field message }
  ... on ValidationError { field }
} }`;
const updateTenant = `mutation($input: UpdateTenantInput!) { updateTenant(input: $input) {
  __typename
  ... on TenantPayload { tenant { id name customAttributes } }
  ... on NotFoundError { entity id }
  ... on ConflictError { conflictField: field }
  ... on ValidationError { field }
} }`;
const deleteTenant = `mutation($id: ID!) { deleteTenant(input: { id: $id }) {
  __typename
  ... on DeletePayload { deletedId }
  ... on NotFoundError { entity id }
} }`;

describe("createTenant", () => {
  it("creates a tenant with custom attributes and records it", async () => {
    const result = await graphqlOk(gateway, admin, createTenant, { input: { name: "  Acme Corp ", customAttributes: { plan: "pro" } } });
    expect(result.createTenant).toMatchObject({ __typename: "TenantPayload", tenant: { name: "Acme Corp", customAttributes: { plan: "pro" } } });
    const id = result.createTenant.tenant.id;
    expect(id).toMatch(/^ten_/);
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: id } });
    expect(event).toMatchObject({ action: "tenant.create", targetType: "Tenant", changes: { name: { before: null, after: "Acme Corp" } } });
    const listed = await graphqlOk(gateway, admin, `{ tenants(first: 50) { edges { node { name } } } }`);
    expect(listed.tenants.edges.map((edge: any) => edge.node.name)).toContain("Acme Corp");
  });

  it("reports a taken name as a conflict, and invalid input as a validation error, writing nothing", async () => {
    await graphqlOk(gateway, admin, createTenant, { input: { name: "taken" } });
    const before = await auditEventCount(gateway);
    const tenantsBefore = await gateway.database.prisma.tenant.count();
    const conflict = await graphqlOk(gateway, admin, createTenant, { input: { name: "taken" } });
    expect(conflict.createTenant).toMatchObject({ __typename: "ConflictError", conflictField: "input.name" });
    const empty = await graphqlOk(gateway, admin, createTenant, { input: { name: "   " } });
    expect(empty.createTenant).toEqual({ __typename: "ValidationError", field: "input.name" });
    const long = await graphqlOk(gateway, admin, createTenant, { input: { name: "x".repeat(201) } });
    expect(long.createTenant).toEqual({ __typename: "ValidationError", field: "input.name" });
    const big = await graphqlOk(gateway, admin, createTenant, { input: { name: "big", customAttributes: { blob: "x".repeat(17 * 1024) } } });
    expect(big.createTenant).toEqual({ __typename: "ValidationError", field: "input.customAttributes" });
    const notObject = await graphql(gateway, admin, createTenant, { input: { name: "arr", customAttributes: [1, 2] } });
    expect(notObject.status).toBe(400);
    expect(await gateway.database.prisma.tenant.count()).toBe(tenantsBefore);
    expect(await auditEventCount(gateway)).toBe(before);
  });

  it("allows the same name in another realm", async () => {
    const theirs = await graphqlOk(gateway, other.token, createTenant, { input: { name: "taken-everywhere" } });
    const mine = await graphqlOk(gateway, admin, createTenant, { input: { name: "taken-everywhere" } });
    expect(theirs.createTenant.__typename).toBe("TenantPayload");
    expect(mine.createTenant.__typename).toBe("TenantPayload");
  });

  it("needs users:write", async () => {
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read users:roles" });
    expectAccessDenied(await graphql(gateway, reader, createTenant, { input: { name: "nope" } }));
    expect(await gateway.database.prisma.tenant.count({ where: { name: "nope" } })).toBe(0);
  });
});

describe("updateTenant", () => {
  it("renames a tenant and replaces its attributes, recording before and after", async () => {
    const tenant = await insertTenant(gateway, { name: "old name" });
    const result = await graphqlOk(gateway, admin, updateTenant, { input: { id: tenant.id, name: "new name", customAttributes: { tier: 2 } } });
    expect(result.updateTenant).toEqual({ __typename: "TenantPayload", tenant: { id: tenant.id, name: "new name", customAttributes: { tier: 2 } } });
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: tenant.id, action: "tenant.update" } });
    expect(event.changes).toEqual({ name: { before: "old name", after: "new name" }, customAttributes: { before: {}, after: { tier: 2 } } });
  });

  it("answers unknown and foreign tenants as not found, and a taken name as a conflict", async () => {
    const foreign = await insertTenant(gateway, { realmId: other.realmId, name: "theirs" });
    const a = await insertTenant(gateway, { name: "upd-a" });
    await insertTenant(gateway, { name: "upd-b" });
    const before = await auditEventCount(gateway);
    const unknown = await graphqlOk(gateway, admin, updateTenant, { input: { id: "ten_01jzzzzzzzzzzzzzzzzzzzzzzz", name: "x" } });
    expect(unknown.updateTenant).toMatchObject({ __typename: "NotFoundError", entity: "Tenant" });
    const theirs = await graphqlOk(gateway, admin, updateTenant, { input: { id: foreign.id, name: "pwned" } });
    expect(theirs.updateTenant).toEqual({ __typename: "NotFoundError", entity: "Tenant", id: foreign.id });
    const taken = await graphqlOk(gateway, admin, updateTenant, { input: { id: a.id, name: "upd-b" } });
    expect(taken.updateTenant).toEqual({ __typename: "ConflictError", conflictField: "input.name" });
    expect((await gateway.database.prisma.tenant.findUniqueOrThrow({ where: { id: foreign.id } })).name).toBe("theirs");
    expect((await gateway.database.prisma.tenant.findUniqueOrThrow({ where: { id: a.id } })).name).toBe("upd-a");
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("deleteTenant", () => {
  it("deletes the tenant with its memberships and tenant roles, keeping the users and their realm-wide roles", async () => {
    const tenant = await insertTenant(gateway);
    const role = await insertRole(gateway);
    const user = await insertUser(gateway);
    await gateway.database.prisma.userTenant.create({ data: { userId: user.id, tenantId: tenant.id } });
    await gateway.database.prisma.userRole.createMany({
      data: [
        { id: `uro_${"1".repeat(26)}`, userId: user.id, roleId: role.id, tenantId: tenant.id },
        { id: `uro_${"2".repeat(26)}`, userId: user.id, roleId: role.id, tenantId: null },
      ],
    });
    const result = await graphqlOk(gateway, admin, deleteTenant, { id: tenant.id });
    expect(result.deleteTenant).toEqual({ __typename: "DeletePayload", deletedId: tenant.id });
    expect(await gateway.database.prisma.tenant.count({ where: { id: tenant.id } })).toBe(0);
    expect(await gateway.database.prisma.userTenant.count({ where: { userId: user.id } })).toBe(0);
    expect(await gateway.database.prisma.userRole.findMany({ where: { userId: user.id }, select: { tenantId: true } })).toEqual([{ tenantId: null }]);
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: tenant.id, action: "tenant.delete" } });
    expect(event.changes).toEqual({ name: { before: tenant.name, after: null }, members: { before: 1, after: 0 }, roleGrants: { before: 1, after: 0 } });
  });

  it("answers unknown and foreign tenants as not found and needs users:write", async () => {
    const foreign = await insertTenant(gateway, { realmId: other.realmId });
    const mine = await insertTenant(gateway);
    const before = await auditEventCount(gateway);
    expect((await graphqlOk(gateway, admin, deleteTenant, { id: foreign.id })).deleteTenant).toEqual({
      __typename: "NotFoundError",
      entity: "Tenant",
      id: foreign.id,
    });
    expect((await graphqlOk(gateway, admin, deleteTenant, { id: "nope" })).deleteTenant.__typename).toBe("NotFoundError");
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
    expectAccessDenied(await graphql(gateway, reader, deleteTenant, { id: mine.id }));
    expect(await gateway.database.prisma.tenant.count({ where: { id: { in: [foreign.id, mine.id] } } })).toBe(2);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("deleteTenant over roles held in it (target ceiling)", () => {
  // Deleting a tenant takes away the roles its members hold inside it, as removing those roles
  // would: only a caller holding all that such a member holds may. Mere members lose no privilege.
  async function tenantWith(member: { id: string }, options: { withRole: boolean }) {
    const tenant = await insertTenant(gateway);
    await gateway.database.prisma.userTenant.create({ data: { userId: member.id, tenantId: tenant.id } });
    if (options.withRole) {
      const role = await insertRole(gateway);
      await gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: member.id, roleId: role.id, tenantId: tenant.id } });
    }
    return tenant;
  }

  it("refuses a users:write token a tenant in which an administrator holds a role, and allows the rest", async () => {
    const limited = await tokenFor(gateway, adminClient, { scope: "users:read users:write" });
    const [chief, plain] = [await insertAdministratorUser(gateway), await insertUser(gateway)];
    const guarded = await tenantWith(chief, { withRole: true });
    const before = await auditEventCount(gateway);
    expectAccessDenied(await graphql(gateway, limited, deleteTenant, { id: guarded.id }));
    expect(await gateway.database.prisma.userRole.count({ where: { tenantId: guarded.id } })).toBe(1);
    expect(await auditEventCount(gateway)).toBe(before);

    for (const tenant of [await tenantWith(chief, { withRole: false }), await tenantWith(plain, { withRole: true })]) {
      expect((await graphqlOk(gateway, limited, deleteTenant, { id: tenant.id })).deleteTenant).toEqual({ __typename: "DeletePayload", deletedId: tenant.id });
    }
    expect((await graphqlOk(gateway, admin, deleteTenant, { id: guarded.id })).deleteTenant.__typename).toBe("DeletePayload");
  });
});

describe("Tenant.members", () => {
  it("pages through the members with a total count", async () => {
    const tenant = await insertTenant(gateway);
    const users = [];
    for (let index = 0; index < 5; index++) users.push(await insertUser(gateway, { email: `member${index}@tenant.test` }));
    await gateway.database.prisma.userTenant.createMany({ data: users.map((user) => ({ userId: user.id, tenantId: tenant.id })) });
    await insertUser(gateway); // not a member
    const query = `query($id: ID!, $after: String) { tenant(id: $id) { members(first: 3, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { node { email } } } } }`;
    const first = await graphqlOk(gateway, admin, query, { id: tenant.id });
    expect(first.tenant.members.totalCount).toBe(5);
    expect(first.tenant.members.edges.map((edge: any) => edge.node.email)).toEqual(["member0@tenant.test", "member1@tenant.test", "member2@tenant.test"]);
    expect(first.tenant.members.pageInfo.hasNextPage).toBe(true);
    const second = await graphqlOk(gateway, admin, query, { id: tenant.id, after: first.tenant.members.pageInfo.endCursor });
    expect(second.tenant.members.edges.map((edge: any) => edge.node.email)).toEqual(["member3@tenant.test", "member4@tenant.test"]);
    expect(second.tenant.members.pageInfo.hasNextPage).toBe(false);
  });

  it("is not readable without users:read, and another realm's tenant is not found", async () => {
    const tenant = await insertTenant(gateway);
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    // A tenant's fields need users:read wherever they are selected; without it the tenant's id reads as missing.
    const denied = await graphql(gateway, rolesReader, `query($id: ID!) { node(id: $id) { ... on Tenant { members { totalCount } } } }`, { id: tenant.id });
    expectAccessDenied(denied);
    expect((await graphqlOk(gateway, rolesReader, `query($id: ID!) { node(id: $id) { id } }`, { id: tenant.id })).node).toBeNull();
    const theirs = await graphqlOk(gateway, other.token, `query($id: ID!) { tenant(id: $id) { members { totalCount } } }`, { id: tenant.id });
    expect(theirs.tenant).toBeNull();
  });
});
