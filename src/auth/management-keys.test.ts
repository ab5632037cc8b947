import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";

let gateway: TestGateway;
let adminToken: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
});
afterAll(() => gateway.close());

const createKey = `mutation($input: CreateManagementKeyInput!) {
  createManagementKey(input: $input) {
    __typename
    ... on CreateManagementKeyPayload { key managementKey { id keyPrefix scopes } }
    ... on ValidationError { field message }
  }
}`;

describe("management keys (seed 001: Bearer <realm id>:<key>)", () => {
  it("shows the key once, stores only its hash, and authenticates with its scopes", async () => {
    const created = await graphqlOk(gateway, adminToken, createKey, { input: { name: "ci", scopes: ["roles:read"] } });
    const { key, managementKey } = created.createManagementKey;
    expect(key).toMatch(new RegExp(`^${gateway.defaultRealmId}:ugk_`));
    const row = await gateway.database.prisma.managementKey.findUniqueOrThrow({ where: { id: managementKey.id } });
    expect(JSON.stringify(row)).not.toContain(key.split(":")[1]);

    expect((await graphql(gateway, key, "{ roles(first: 1) { totalCount } }")).status).toBe(200);
    expect((await graphql(gateway, key, "{ applications(first: 1) { totalCount } }")).status).toBe(403);

    const listed = await graphqlOk(gateway, adminToken, "{ managementKeys(first: 10) { edges { node { name keyPrefix } } } }");
    expect(listed.managementKeys.edges).toEqual([{ node: { name: "ci", keyPrefix: managementKey.keyPrefix } }]);
  });

  it("stops working at once when revoked", async () => {
    const created = await graphqlOk(gateway, adminToken, createKey, { input: { name: "temp", scopes: ["roles:read"] } });
    const { key, managementKey } = created.createManagementKey;
    expect((await graphql(gateway, key, "{ roles(first: 1) { totalCount } }")).status).toBe(200);
    await graphqlOk(gateway, adminToken, `mutation($id: ID!) { revokeManagementKey(input: { id: $id }) { __typename } }`, { id: managementKey.id });
    const after = await graphql(gateway, key, "{ roles(first: 1) { totalCount } }");
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.message).toMatch(/revoked/);
  });

  it("refuses a key presented with another realm id", async () => {
    const created = await graphqlOk(gateway, adminToken, createKey, { input: { name: "k", scopes: ["roles:read"] } });
    const secret = created.createManagementKey.key.split(":")[1];
    expect((await graphql(gateway, `rlm_01jaaaaaaaaaaaaaaaaaaaaaaa:${secret}`, "{ realm { id } }")).status).toBe(401);
  });

  it("cannot grant more than its creator holds, nor non-management scopes", async () => {
    const keyWithRoles = (await graphqlOk(gateway, adminToken, createKey, { input: { name: "small", scopes: ["applications:write", "roles:read"] } }))
      .createManagementKey.key;
    const escalation = await graphql(gateway, keyWithRoles, createKey, { input: { name: "big", scopes: ["users:write"] } });
    expect(escalation.status).toBe(403);
    expect(escalation.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    const unknown = await graphqlOk(gateway, adminToken, createKey, { input: { name: "x", scopes: ["read:posts"] } });
    expect(unknown.createManagementKey).toMatchObject({ __typename: "ValidationError", field: "input.scopes" });
  });

  it("refuses an expired key", async () => {
    const created = await graphqlOk(gateway, adminToken, createKey, { input: { name: "old", scopes: ["roles:read"] } });
    await gateway.database.prisma.managementKey.update({
      where: { id: created.createManagementKey.managementKey.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const result = await graphql(gateway, created.createManagementKey.key, "{ realm { id } }");
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toMatch(/expired/);
  });
});
