// Provider accounts linked to users (seed 002 `identities`) and their provider tokens (seed 001
// "Get User Provider Token"). An account of a provider belongs to one user of the realm.
//
// Each of these acts on the user's way in, so each passes the target ceiling: reading an
// administrator's provider tokens is signing in as them at the provider, linking an account of
// one's own to them lets that account sign in as them, unlinking takes their way in away.
import { isUniqueViolation } from "../db/unique-violation.js";
import { newId } from "../db/ids.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { assertMayActOn } from "./privilege-policy.js";
import { findUserInRealm } from "./realm-lookups.js";

type Db = Prisma.TransactionClient;

export type LinkIdentityInput = {
  userId: string;
  provider: string;
  providerUserId: string;
  /** The provider when absent. */
  connection?: string | null;
  /** Social (the default) rather than enterprise. */
  isSocial?: boolean | null;
  profileData?: Record<string, unknown> | null;
  accessToken?: string | null;
  refreshToken?: string | null;
};

const identityLabel = (identity: { provider: string; providerUserId: string }) => `${identity.provider}|${identity.providerUserId}`;

export async function linkUserIdentity(prisma: PrismaClient, actor: Actor, input: LinkIdentityInput) {
  const provider = input.provider.trim();
  const providerUserId = input.providerUserId.trim();
  return prisma
    .$transaction(async (tx) => {
      const user = await findUserInRealm(tx, input.userId, actor.realmId);
      await assertMayActOn(tx, actor, { type: "user", id: user.id });
      const identity = await tx.identity.create({
        data: {
          id: newId("identity"),
          realmId: actor.realmId,
          userId: user.id,
          provider,
          providerUserId,
          connection: input.connection?.trim() || provider,
          isSocial: input.isSocial ?? true,
          profileData: (input.profileData ?? {}) as Prisma.InputJsonObject,
          providerAccessToken: input.accessToken ?? null,
          providerRefreshToken: input.refreshToken ?? null,
        },
      });
      // The provider tokens are secrets: the audit log records only that the account was linked.
      await recordAudit(tx, actor, {
        action: "user.identity.link",
        targetType: "User",
        targetId: user.id,
        changes: { [`identities.${identity.id}`]: { before: null, after: identityLabel(identity) } },
      });
      return { identity, user };
    })
    .catch((error) => {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`The ${provider} account ${providerUserId} is already linked to a user`, "input.providerUserId");
      }
      throw error;
    });
}

/** Removes the identity, with its provider tokens; an identity of another user is not found. */
export async function unlinkUserIdentity(prisma: PrismaClient, actor: Actor, input: { userId: string; identityId: string }) {
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, actor.realmId);
    await assertMayActOn(tx, actor, { type: "user", id: user.id });
    const identity = await tx.identity.findFirst({ where: { id: input.identityId, userId: user.id } });
    if (!identity) throw new NotFoundError("Identity", input.identityId);
    await tx.identity.delete({ where: { id: identity.id } });
    await recordAudit(tx, actor, {
      action: "user.identity.unlink",
      targetType: "User",
      targetId: user.id,
      changes: { [`identities.${identity.id}`]: { before: identityLabel(identity), after: null } },
    });
    return { user };
  });
}

/**
 * The user's most recently linked identity at `provider`, with its tokens; null when there is
 * none, or the user is not one of the realm.
 */
export async function findUserProviderToken(prisma: PrismaClient, actor: Actor, input: { userId: string; provider: string }) {
  return prisma.$transaction(async (tx) => {
    const user = await tx.user.findFirst({ where: { id: input.userId, realmId: actor.realmId }, select: { id: true } });
    if (!user) return null;
    await assertMayReadProviderTokens(tx, actor, user.id);
    return tx.identity.findFirst({
      where: { userId: user.id, provider: input.provider, realmId: actor.realmId },
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    });
  });
}

/** Provider tokens of a user of the actor's realm, wherever they are read: the target ceiling. */
export async function assertMayReadProviderTokens(db: Db, actor: Actor, userId: string): Promise<void> {
  await assertMayActOn(db, actor, { type: "user", id: userId });
}
