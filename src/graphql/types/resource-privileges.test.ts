// The management API resource and its scopes are the gateway's own contract: no token changes
// them (its token lifetime, its scopes), while the realm's other APIs stay writable.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { expectAccessDenied } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { everyRowAsText } from "../../../test/support/table-rows.js";

let gateway: TestGateway;
let admin: string;
let resourcesWriter: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  resourcesWriter = await tokenFor(gateway, adminClient, { scope: "resources:read resources:write" });
});
afterAll(() => gateway.close());

const mutation = (name: string, payload: string) =>
  `mutation($input: ${name.charAt(0).toUpperCase()}${name.slice(1)}Input!) { ${name}(input: $input) { __typename ${payload} ... on Error { message } } }`;
const createResource = mutation("createResource", "... on ResourcePayload { resource { id tokenLifetime } }");
const updateResource = mutation("updateResource", "... on ResourcePayload { resource { id name tokenLifetime } }");
const deleteResource = mutation("deleteResource", "... on DeletePayload { deletedId }");
const createScope = mutation("createScope", "... on ScopePayload { scope { id name } }");
const updateScope = mutation("updateScope", "... on ScopePayload { scope { id name description } }");
const deleteScope = mutation("deleteScope", "... on DeletePayload { deletedId }");

describe("the management API resource", () => {
  it("is read-only: resources:write and the realm administrator alike change neither it nor its scopes", async () => {
    const management = await gateway.database.prisma.resource.findFirstOrThrow({
      where: { realmId: gateway.defaultRealmId, isManagement: true },
      include: { scopes: true },
    });
    const scope = management.scopes.find((candidate) => candidate.name === "users:read")!;
    const before = await everyRowAsText(gateway.database.prisma);

    for (const token of [resourcesWriter, admin]) {
      for (const [operation, input] of [
        [updateResource, { id: management.id, tokenLifetime: 86_400 }],
        [updateResource, { id: management.id, name: "mine now" }],
        [deleteResource, { id: management.id }],
        [createScope, { resourceId: management.id, name: "everything" }],
        [updateScope, { id: scope.id, name: "users:all" }],
        [updateScope, { id: scope.id, description: "changed" }],
        [deleteScope, { id: scope.id }],
      ] as const) {
        expectAccessDenied(await graphql(gateway, token, operation, { input }));
      }
    }
    expect(await everyRowAsText(gateway.database.prisma)).toEqual(before);
  });

  it("leaves the realm's other APIs writable with resources:write", async () => {
    const created = await graphqlOk(gateway, resourcesWriter, createResource, { input: { name: "Reports", indicator: "https://reports.example.test" } });
    const id = created.createResource.resource.id;
    const updated = await graphqlOk(gateway, resourcesWriter, updateResource, { input: { id, tokenLifetime: 600 } });
    expect(updated.updateResource.resource).toMatchObject({ id, tokenLifetime: 600 });
    const scope = (await graphqlOk(gateway, resourcesWriter, createScope, { input: { resourceId: id, name: "read:reports" } })).createScope.scope;
    const renamed = await graphqlOk(gateway, resourcesWriter, updateScope, { input: { id: scope.id, name: "reports:read" } });
    expect(renamed.updateScope.scope).toMatchObject({ id: scope.id, name: "reports:read" });
    expect((await graphqlOk(gateway, resourcesWriter, deleteScope, { input: { id: scope.id } })).deleteScope.deletedId).toBe(scope.id);
    expect((await graphqlOk(gateway, resourcesWriter, deleteResource, { input: { id } })).deleteResource.deletedId).toBe(id);
  });
});
