// Administration of users' WebAuthn passkeys: seed 001 "delete user's passkeys". Deleting an
// administrator's passkeys takes their way in away (and clears the way for an attacker's own), so
// it passes the target ceiling.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { NotFoundError } from "./errors.js";
import { assertMayActOn } from "./privilege-policy.js";
import { findUserInRealm } from "./realm-lookups.js";

/**
 * Deletes the given passkeys of the user, or all of them when `passkeyIds` is null. An id that is
 * not one of the user's passkeys is not found, and nothing is deleted then.
 */
export async function deleteUserPasskeys(prisma: PrismaClient, actor: Actor, input: { userId: string; passkeyIds: string[] | null }) {
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, actor.realmId);
    await assertMayActOn(tx, actor, { type: "user", id: user.id });
    const wanted = input.passkeyIds ? [...new Set(input.passkeyIds)] : null;
    const passkeys = await tx.passkey.findMany({
      where: { userId: user.id, ...(wanted ? { id: { in: wanted } } : {}) },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    const missing = wanted?.find((id) => !passkeys.some((passkey) => passkey.id === id));
    if (missing) throw new NotFoundError("Passkey", missing);
    const deletedIds = passkeys.map((passkey) => passkey.id);
    if (deletedIds.length > 0) await tx.passkey.deleteMany({ where: { id: { in: deletedIds }, userId: user.id } });
    await recordAudit(tx, actor, {
      action: "user.passkeys.delete",
      targetType: "User",
      targetId: user.id,
      changes: deletedIds.length === 0 ? {} : { passkeys: { before: deletedIds, after: null } },
    });
    return { user, deletedIds };
  });
}
