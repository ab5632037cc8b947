// Every connection of the schema refuses `first` and `last` together as BAD_USER_INPUT (Relay's
// "the last of the first" is not offered; see checkPageSize), the nested ones included.
import { getNamedType, isObjectType } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, tokenFor } from "../../test/support/api-client.js";
import { insertRole, insertTenant, insertUser } from "../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { schema } from "./schema.js";

let gateway: TestGateway;
let token: string;
let ids: { user: string; role: string; tenant: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  token = await tokenFor(gateway);
  const [user, role, tenant] = await Promise.all([insertUser(gateway), insertRole(gateway), insertTenant(gateway)]);
  ids = { user: user.id, role: role.id, tenant: tenant.id };
});
afterAll(() => gateway.close());

const both = "(first: 2, last: 1) { edges { cursor } }";

/** One request per connection field of the schema, as `Type.field`. */
const requests: Record<string, () => { query: string; variables?: Record<string, unknown> }> = {
  "Query.users": () => ({ query: `{ users${both} }` }),
  "Query.roles": () => ({ query: `{ roles${both} }` }),
  "Query.applications": () => ({ query: `{ applications${both} }` }),
  "Query.resources": () => ({ query: `{ resources${both} }` }),
  "Query.tenants": () => ({ query: `{ tenants${both} }` }),
  "Query.realms": () => ({ query: `{ realms${both} }` }),
  "Query.auditEvents": () => ({ query: `{ auditEvents${both} }` }),
  "Query.loginEvents": () => ({ query: `{ loginEvents${both} }` }),
  "Query.managementKeys": () => ({ query: `{ managementKeys${both} }` }),
  "Role.users": () => ({ query: `query($id: ID!) { role(id: $id) { users${both} } }`, variables: { id: ids.role } }),
  "Tenant.members": () => ({ query: `query($id: ID!) { tenant(id: $id) { members${both} } }`, variables: { id: ids.tenant } }),
  "User.sessions": () => ({ query: `query($id: ID!) { user(id: $id) { sessions${both} } }`, variables: { id: ids.user } }),
  "User.loginHistory": () => ({ query: `query($id: ID!) { user(id: $id) { loginHistory${both} } }`, variables: { id: ids.user } }),
};

function connectionFields(): string[] {
  return Object.values(schema.getTypeMap())
    .filter(isObjectType)
    .filter((type) => !type.name.startsWith("__"))
    .flatMap((type) =>
      Object.values(type.getFields())
        .filter((field) => getNamedType(field.type).name.endsWith("Connection"))
        .map((field) => `${type.name}.${field.name}`),
    )
    .sort();
}

describe("first and last together", () => {
  it("are covered here for every connection of the schema", () => {
    expect(Object.keys(requests).sort()).toEqual(connectionFields());
  });

  it.each(Object.keys(requests))("are refused by %s as BAD_USER_INPUT", async (field) => {
    const { query, variables } = requests[field]!();
    const result = await graphql(gateway, token, query, variables);
    expect(result.errors?.[0]).toMatchObject({
      message: "first and last cannot be combined: page forward with first (and after) or backward with last (and before)",
      extensions: { code: "BAD_USER_INPUT" },
    });
  });
});
