// Seed 001 management keys: long-lived credentials holding a fixed list of management scopes.
// The key is random, shown once and stored as a hash (auth/management-keys.ts verifies presented
// keys). A key carries at most its creator's scopes (grant ceiling); revoking one obeys the target
// ceiling (else a small key revokes a bigger one) and never leaves the realm without an administrator.
import { newId } from "../db/ids.js";
import type { ManagementKey, PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { managementScopes } from "./management-api.js";
import { assertMayActOn, assertMayGrantScopeNames, keepingRealmAdministrator } from "./privilege-policy.js";
import { generateSecret, hashSecret } from "./secrets.js";

export type NewManagementKey = { name: string; scopes: string[]; expiresAt: Date | null };

const managementScopeNames = new Set<string>(managementScopes.map((scope) => scope.name));

/** Returns the stored row and the key itself, which exists nowhere else. */
export async function createManagementKey(
  prisma: PrismaClient,
  actor: Actor,
  input: NewManagementKey,
): Promise<{ managementKey: ManagementKey; key: string }> {
  const scopes = [...new Set(input.scopes)];
  const unknown = scopes.find((scope) => !managementScopeNames.has(scope));
  if (unknown) throw new ValidationError("input.scopes", `${unknown} is not a management scope`);
  if (scopes.length === 0) throw new ValidationError("input.scopes", "input.scopes must name at least one scope");
  if (input.expiresAt && input.expiresAt <= new Date()) throw new ValidationError("input.expiresAt", "input.expiresAt must be in the future");
  assertMayGrantScopeNames(actor, scopes);
  const key = `ugk_${generateSecret()}`;
  const managementKey = await prisma.$transaction(async (tx) => {
    const created = await tx.managementKey.create({
      data: {
        id: newId("managementKey"),
        realmId: actor.realmId,
        name: input.name,
        keyPrefix: key.slice(0, 10),
        keyHash: hashSecret(key),
        scopes,
        expiresAt: input.expiresAt,
        createdBy: actor.id,
      },
    });
    await recordAudit(tx, actor, {
      action: "management_key.create",
      targetType: "ManagementKey",
      targetId: created.id,
      changes: { scopes: { before: null, after: scopes } },
    });
    return created;
  });
  return { managementKey, key };
}

/** The key stops working at once; revoking a revoked key changes nothing. */
export async function revokeManagementKey(prisma: PrismaClient, actor: Actor, id: string): Promise<ManagementKey> {
  return prisma.$transaction(async (tx) => {
    const key = await tx.managementKey.findFirst({ where: { id, realmId: actor.realmId } });
    if (!key) throw new NotFoundError("ManagementKey", id);
    await assertMayActOn(tx, actor, { type: "managementKey", id: key.id });
    return keepingRealmAdministrator(tx, actor.realmId, async () => {
      const revoked = await tx.managementKey.update({ where: { id: key.id }, data: { revokedAt: key.revokedAt ?? new Date() } });
      await recordAudit(tx, actor, {
        action: "management_key.revoke",
        targetType: "ManagementKey",
        targetId: key.id,
        changes: { revokedAt: { before: key.revokedAt, after: revoked.revokedAt } },
      });
      return revoked;
    });
  });
}
