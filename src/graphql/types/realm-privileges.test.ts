// createRealm mints an administrator of the new realm (an application holding every management
// scope there, whose secret the caller receives): only an administrator of its own realm may.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { auditEventCount, expectAccessDenied } from "../../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

const createRealm = `mutation($name: String!) {
  createRealm(input: { name: $name }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } }
}`;

describe("createRealm", () => {
  it("refuses a caller holding realms:write without every management scope of its realm, naming the missing ones", async () => {
    const realmsOnly = await tokenFor(gateway, undefined, { scope: "realms:read realms:write" });
    const [realms, audits] = [await gateway.database.prisma.realm.count(), await auditEventCount(gateway)];
    const refused = await graphql(gateway, realmsOnly, createRealm, { name: "escalated" });
    expectAccessDenied(refused);
    expect((refused.errors?.[0]?.extensions as { missingScopes?: string[] }).missingScopes).toEqual(
      expect.arrayContaining(["applications:write", "users:write", "users:tokens", "audit:read"]),
    );
    expect(await gateway.database.prisma.realm.count()).toBe(realms);
    expect(await auditEventCount(gateway)).toBe(audits);
  });

  it("lets an administrator of the admin realm create one", async () => {
    const created = await graphqlOk(gateway, await tokenFor(gateway), createRealm, { name: "granted" });
    expect(created.createRealm.adminClientSecret).toEqual(expect.any(String));
  });
});
