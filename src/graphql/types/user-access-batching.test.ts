// Nested reads of a users page are batched: the SQL statements a request sends do not grow with
// the page size. Roles, their scopes, tenants and applications of all users on the page load
// through the request's relation loader: one statement per level of nesting.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { insertApplication, insertRole, insertTenant } from "../../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";

let gateway: TestGateway;
let token: string;
const statements: string[] = [];

beforeAll(async () => {
  gateway = await startTestGateway({}, { onQuery: (sql) => statements.push(sql) });
  token = await tokenFor(gateway);
  const prisma = gateway.database.prisma;
  const realmId = gateway.defaultRealmId;
  const resource = await prisma.resource.create({
    data: { id: newId("resource"), realmId, name: "Posts", indicator: "https://posts.batching.test" },
  });
  const scopes = [];
  for (const name of ["read:posts", "write:posts", "read:comments", "write:comments"]) {
    scopes.push(await prisma.scope.create({ data: { id: newId("scope"), realmId, resourceId: resource.id, name } }));
  }
  const roles = [
    await insertRole(gateway, { name: "posts", scopeIds: [scopes[0]!.id, scopes[1]!.id] }),
    await insertRole(gateway, { name: "comments", scopeIds: [scopes[2]!.id, scopes[3]!.id] }),
  ];
  const tenant = await insertTenant(gateway, { name: "batching tenant" });
  const application = await insertApplication(gateway, { name: "batching app" });
  const users = Array.from({ length: 60 }, (_, index) => ({
    id: newId("user"),
    realmId,
    email: `batch${String(index).padStart(2, "0")}@batching.test`,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, index)),
  }));
  await prisma.user.createMany({ data: users });
  await prisma.userRole.createMany({
    data: users.flatMap((user) => roles.map((role) => ({ id: newId("userRole"), userId: user.id, roleId: role.id }))),
  });
  await prisma.userTenant.createMany({ data: users.map((user) => ({ userId: user.id, tenantId: tenant.id })) });
  await prisma.userApplication.createMany({ data: users.map((user) => ({ userId: user.id, applicationId: application.id })) });
});
afterAll(() => gateway.close());

/** Runs the query once to warm up, then again, returning the data and the statements of that run. */
async function countStatements(query: string, variables: Record<string, unknown>) {
  await graphqlOk(gateway, token, query, variables);
  statements.length = 0;
  const data = await graphqlOk(gateway, token, query, variables);
  return { data, count: statements.length, sql: [...statements] };
}

const rolesAndTenants = `query($first: Int!) { users(first: $first) { edges { node {
  roles { scopes { name } } tenants { name } } } } }`;

const everything = `query($first: Int!) { users(first: $first) { edges { node {
  email roles { name scopes { name resource { name } } } tenants { name } tenantRoles { role { name } tenant { name } }
  applications { name roles { name } } } } } }`;

describe("users page statement count", () => {
  it("is the same small constant for first: 5 and first: 50 (roles with scopes, tenants)", async () => {
    const five = await countStatements(rolesAndTenants, { first: 5 });
    const fifty = await countStatements(rolesAndTenants, { first: 50 });
    expect(five.data.users.edges).toHaveLength(5);
    expect(fifty.data.users.edges).toHaveLength(50);
    for (const edge of fifty.data.users.edges) {
      expect(edge.node.roles.map((role: any) => role.scopes.map((scope: any) => scope.name).sort())).toEqual(
        expect.arrayContaining([
          ["read:posts", "write:posts"],
          ["read:comments", "write:comments"],
        ]),
      );
      expect(edge.node.tenants).toEqual([{ name: "batching tenant" }]);
    }
    console.info(`users(first: 5): ${five.count} SQL statements; users(first: 50): ${fifty.count}`);
    expect(fifty.count, fifty.sql.join("\n---\n")).toBe(five.count);
    expect(five.count).toBeLessThanOrEqual(6);
  });

  it("is two statements for columns alone, whatever the page size: the page's ids, then its rows", async () => {
    const columns = `query($first: Int!) { users(first: $first) { edges { node { id email name createdAt } } } }`;
    const five = await countStatements(columns, { first: 5 });
    const fifty = await countStatements(columns, { first: 50 });
    expect(fifty.data.users.edges[49].node.email).toBe("batch49@batching.test");
    expect(five.count, five.sql.join("\n---\n")).toBe(2);
    expect(fifty.count).toBe(2);
  });

  it("stays constant with every user relation selected at once", async () => {
    const five = await countStatements(everything, { first: 5 });
    const fifty = await countStatements(everything, { first: 50 });
    expect(fifty.data.users.edges[49].node).toEqual({
      email: "batch49@batching.test",
      roles: expect.arrayContaining([
        { name: "posts", scopes: expect.arrayContaining([{ name: "read:posts", resource: { name: "Posts" } }]) },
        { name: "comments", scopes: expect.arrayContaining([{ name: "write:comments", resource: { name: "Posts" } }]) },
      ]),
      tenants: [{ name: "batching tenant" }],
      tenantRoles: [],
      applications: [{ name: "batching app", roles: [] }],
    });
    expect(fifty.count, fifty.sql.join("\n---\n")).toBe(five.count);
    expect(five.count).toBeLessThanOrEqual(6);
  });
});
