// Role.users: the members of a role, realm-wide and per tenant, paged with a total count.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { createOtherRealm, expectAccessDenied, insertRole, insertTenant, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";

let gateway: TestGateway;
let admin: string;
let role: { id: string };
let tenant: { id: string };
const emails: string[] = [];

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  role = await insertRole(gateway, { name: "members-role" });
  tenant = await insertTenant(gateway);
  // Users 0-3 hold the role realm-wide, 4 only inside the tenant, 5 both ways; 6 does not hold it.
  for (let index = 0; index < 7; index++) {
    const user = await insertUser(gateway, { email: `holder${index}@roles.test` });
    emails.push(user.email!);
    const grants = index < 4 ? [null] : index === 4 ? [tenant.id] : index === 5 ? [null, tenant.id] : [];
    for (const tenantId of grants) {
      await gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: user.id, roleId: role.id, tenantId } });
    }
  }
});
afterAll(() => gateway.close());

const members = `query($id: ID!, $first: Int, $after: String, $tenant: ID) { role(id: $id) { users(first: $first, after: $after, tenantId: $tenant) {
  totalCount pageInfo { hasNextPage endCursor } edges { node { email } } } } }`;

describe("Role.users", () => {
  it("lists every holder once, realm-wide or in a tenant, in pages with a total", async () => {
    const first = await graphqlOk(gateway, admin, members, { id: role.id, first: 4 });
    expect(first.role.users.totalCount).toBe(6);
    expect(first.role.users.edges.map((edge: any) => edge.node.email)).toEqual(emails.slice(0, 4));
    const rest = await graphqlOk(gateway, admin, members, { id: role.id, first: 4, after: first.role.users.pageInfo.endCursor });
    expect(rest.role.users.edges.map((edge: any) => edge.node.email)).toEqual(emails.slice(4, 6));
    expect(rest.role.users.pageInfo.hasNextPage).toBe(false);
  });

  it("narrows to the holders inside one tenant", async () => {
    const result = await graphqlOk(gateway, admin, members, { id: role.id, tenant: tenant.id });
    expect(result.role.users.totalCount).toBe(2);
    expect(result.role.users.edges.map((edge: any) => edge.node.email)).toEqual(emails.slice(4, 6));
  });

  it("needs users:read besides roles:read, and shows nothing to another realm", async () => {
    const rolesReader = await tokenFor(gateway, adminClient, { scope: "roles:read" });
    expectAccessDenied(await graphql(gateway, rolesReader, members, { id: role.id }));
    const both = await tokenFor(gateway, adminClient, { scope: "roles:read users:read" });
    expect((await graphqlOk(gateway, both, members, { id: role.id })).role.users.totalCount).toBe(6);
    const other = await createOtherRealm(gateway, admin);
    expect((await graphqlOk(gateway, other.token, members, { id: role.id })).role).toBeNull();
  });
});
