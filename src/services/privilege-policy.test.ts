// The target ceiling holds under concurrency: between the check that a principal holds nothing the
// actor lacks and the write that check allows, no grant may land on that principal. Only a server
// with concurrent transactions can interleave them (PGlite runs one transaction at a time).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { insertApplication } from "../../test/support/directory-rows.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import type { Actor } from "./actor.js";
import { assignRolesToApplication } from "./applications.js";
import { managementAdminRoleName, managementScopes } from "./management-api.js";
import { assertMayActOn } from "./privilege-policy.js";

const postgresTemplate = inject("postgresTemplate");

describe.skipIf(!postgresTemplate)("the target ceiling under concurrent grants", () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway();
  });
  afterAll(() => gateway?.close());

  const actor = (scopes: string[]): Actor => ({ type: "application", id: null, realmId: gateway.defaultRealmId, requestId: null, scopes: new Set(scopes) });

  it("holds the checked principal until the write commits: a concurrent grant of the admin role waits for it", async () => {
    const prisma = gateway.database.prisma;
    const target = await insertApplication(gateway);
    const adminRole = await prisma.role.findUniqueOrThrow({ where: { realmId_name: { realmId: gateway.defaultRealmId, name: managementAdminRoleName } } });
    const administrator = actor([...managementScopes.map((scope) => scope.name), "realms:read", "realms:write"]);

    let releaseCheck!: () => void;
    const checked = new Promise<void>((resolve) => (releaseCheck = resolve));
    let continueWrite!: () => void;
    const writeMayGoOn = new Promise<void>((resolve) => (continueWrite = resolve));
    // A limited actor checks the application (it holds nothing yet), then is about to write.
    const limitedWrite = prisma.$transaction(async (tx) => {
      await assertMayActOn(tx, actor(["applications:write"]), { type: "application", id: target.id });
      releaseCheck();
      await writeMayGoOn;
      await tx.application.update({ where: { id: target.id }, data: { name: "renamed by the limited actor" } });
    });
    await checked;

    let granted = false;
    const grant = assignRolesToApplication(prisma, administrator, { applicationId: target.id, roleIds: [adminRole.id] }).then(() => (granted = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(granted).toBe(false); // the grant waits for the checked write to commit
    continueWrite();
    await limitedWrite;
    await grant;
    expect(granted).toBe(true);
  });
});
