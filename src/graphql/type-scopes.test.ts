// A realm-owned type checks the realm of each object it shows, whatever led to it: the check runs
// once per object as it is completed (runScopesOnType), and an object of another realm reached
// through a link is refused at the field that returns it, the rest of the answer intact.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, tokenFor } from "../../test/support/api-client.js";
import { createOtherRealm, insertApplication, insertUser } from "../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { newId } from "../db/ids.js";

let gateway: TestGateway;
let token: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  token = await tokenFor(gateway);
});
afterAll(() => gateway.close());

describe("type-level realm checks", () => {
  it("refuse an object of another realm that a row links to, and only that object", async () => {
    const other = await createOtherRealm(gateway, token);
    const user = await insertUser(gateway);
    const [own, foreign] = [await insertApplication(gateway, { name: "own app" }), await insertApplication(gateway, { realmId: other.realmId })];
    // No foreign key ties a session's application to the session's realm: written here directly.
    for (const [applicationId, hoursAgo] of [[own.id, 2], [foreign.id, 1]] as const) {
      await gateway.database.prisma.session.create({
        data: {
          id: newId("session"),
          realmId: user.realmId,
          userId: user.id,
          applicationId,
          createdAt: new Date(Date.now() - hoursAgo * 3_600_000),
          expiresAt: new Date(Date.now() + 3_600_000),
        },
      });
    }
    const result = await graphql(gateway, token, `query($id: ID!) { user(id: $id) { email sessions { edges { node { application { name } } } } } }`, {
      id: user.id,
    });
    expect(result.data?.user.email).toBe(user.email);
    expect(result.data?.user.sessions.edges).toEqual([{ node: { application: null } }, { node: { application: { name: "own app" } } }]);
    expect(result.errors).toEqual([expect.objectContaining({ path: ["user", "sessions", "edges", 0, "node", "application"], extensions: expect.objectContaining({ code: "insufficient_scope" }) })]);
  });
});
