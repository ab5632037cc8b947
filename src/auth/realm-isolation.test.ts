// A principal of realm A gets nothing of realm B, whatever ids it sends.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { newId } from "../db/ids.js";

let gateway: TestGateway;
let defaultToken: string;
let acmeToken: string;
let acmeClient: { clientId: string; clientSecret: string };
let acme: { realmId: string; roleId: string; resourceId: string; scopeId: string; applicationId: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  defaultToken = await tokenFor(gateway);
  const created = await graphqlOk(
    gateway,
    defaultToken,
    `mutation { createRealm(input: { name: "acme" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
  );
  const realmId = created.createRealm.realm.id;
  acmeClient = { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret };
  acmeToken = await tokenFor(gateway, acmeClient, { realmId });
  const resource = await graphqlOk(
    gateway,
    acmeToken,
    `mutation { createResource(input: { name: "Posts", indicator: "https://posts.acme.test" }) { ... on ResourcePayload { resource { id } } } }`,
  );
  const resourceId = resource.createResource.resource.id;
  const scope = await graphqlOk(
    gateway,
    acmeToken,
    `mutation($id: ID!) { createScope(input: { resourceId: $id, name: "read:posts" }) { ... on ScopePayload { scope { id } } } }`,
    { id: resourceId },
  );
  const role = await graphqlOk(gateway, acmeToken, `mutation { createRole(input: { name: "editor" }) { ... on RolePayload { role { id } } } }`);
  const app = await graphqlOk(
    gateway,
    acmeToken,
    `mutation { createApplication(input: { name: "acme job", type: m2m }) { ... on ApplicationSecretPayload { application { id } } } }`,
  );
  acme = {
    realmId,
    resourceId,
    scopeId: scope.createScope.scope.id,
    roleId: role.createRole.role.id,
    applicationId: app.createApplication.application.id,
  };
});
afterAll(() => gateway.close());

describe("realm isolation", () => {
  it("lists only the caller's realm", async () => {
    const mine = await graphqlOk(gateway, acmeToken, "{ roles(first: 50) { edges { node { name } } } }");
    expect(mine.roles.edges.map((edge: any) => edge.node.name).sort()).toEqual(["editor", "usergate:management-admin"]);
    const theirs = await graphqlOk(gateway, defaultToken, "{ roles(first: 50) { edges { node { id } } } }");
    expect(theirs.roles.edges.map((edge: any) => edge.node.id)).not.toContain(acme.roleId);
  });

  it("answers reads by id of another realm as if the id did not exist", async () => {
    const byId = await graphqlOk(
      gateway,
      defaultToken,
      `query($role: ID!, $resource: ID!, $app: ID!) { role(id: $role) { id } resource(id: $resource) { id } application(id: $app) { id } }`,
      { role: acme.roleId, resource: acme.resourceId, app: acme.applicationId },
    );
    expect(byId).toEqual({ role: null, resource: null, application: null });
  });

  it("does not resolve another realm's objects through node(id)", async () => {
    for (const id of [acme.roleId, acme.resourceId, acme.scopeId, acme.applicationId]) {
      const result = await graphql(gateway, defaultToken, `query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(result.errors).toBeUndefined();
      expect(result.data).toEqual({ node: null });
    }
  });

  it("reports writes to another realm's ids as not found and changes nothing", async () => {
    const update = await graphqlOk(
      gateway,
      defaultToken,
      `mutation($id: ID!) { updateRole(input: { id: $id, name: "pwned" }) { __typename ... on NotFoundError { entity id } } }`,
      { id: acme.roleId },
    );
    expect(update.updateRole).toEqual({ __typename: "NotFoundError", entity: "Role", id: acme.roleId });
    const assign = await graphqlOk(
      gateway,
      defaultToken,
      `mutation($role: ID!) { createRole(input: { name: "thief", scopeIds: [$role] }) { __typename } }`,
      { role: acme.scopeId },
    );
    expect(assign.createRole.__typename).toBe("NotFoundError");
    const role = await gateway.database.prisma.role.findUniqueOrThrow({ where: { id: acme.roleId } });
    expect(role.name).toBe("editor");
    expect(await gateway.database.prisma.role.count({ where: { name: "thief" } })).toBe(0);
  });

  it("answers node(id) only with the read scope of the object's type", async () => {
    const user = await gateway.database.prisma.user.create({
      data: { id: newId("user"), realmId: acme.realmId, email: "hidden@acme.test" },
    });
    const rolesOnly = await tokenFor(gateway, acmeClient, { realmId: acme.realmId, scope: "roles:read" });
    const hidden = await graphql(gateway, rolesOnly, `query($id: ID!) { node(id: $id) { id } }`, { id: user.id });
    expect(hidden.data).toEqual({ node: null });
    // Selecting a user's fields at all needs users:read: the operation is refused before it runs.
    const fields = await graphql(gateway, rolesOnly, `query($id: ID!) { node(id: $id) { id ... on User { email } } }`, { id: user.id });
    expect(fields.status).toBe(403);
    const role = await graphql(gateway, rolesOnly, `query($id: ID!) { node(id: $id) { id } }`, { id: acme.roleId });
    expect(role.data).toEqual({ node: { id: acme.roleId } });
  });

  it("keeps realm administration to the admin realm", async () => {
    const result = await graphql(gateway, acmeToken, "{ realms(first: 10) { totalCount } }");
    expect(result.status).toBe(403);
    const list = await graphqlOk(gateway, defaultToken, "{ realms(first: 10) { totalCount edges { node { name } } } }");
    expect(list.realms.edges.map((edge: any) => edge.node.name).sort()).toEqual(["acme", "default"]);
  });
});
