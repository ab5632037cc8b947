// Ending sessions: "log out of all sessions" (seed 001), revoking one session, and whatever else
// must end them (suspension, sign-out). A revoked session keeps its row, with `revokedAt`, for the
// user's history; its refresh tokens are deleted, so none of them can be spent again. Access
// tokens already issued for it stop working once the verifier next re-reads the session.
//
// Ending someone's sessions through the API passes the target ceiling: logging an administrator
// out, again and again, keeps them out of their realm, so only a caller holding every management
// scope they hold may.
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { NotFoundError } from "./errors.js";
import { assertMayActOn } from "./privilege-policy.js";
import { findUserInRealm } from "./realm-lookups.js";

type Tx = Prisma.TransactionClient;

/** A session is active until it is revoked or expires. */
export function isSessionActive(session: { revokedAt: Date | null; expiresAt: Date }, now: Date = new Date()): boolean {
  return session.revokedAt === null && session.expiresAt.getTime() > now.getTime();
}

/** Where-clause of a user's sessions that are still active at `now`. */
export function activeSessionsWhere(now: Date = new Date()): Prisma.SessionWhereInput {
  return { revokedAt: null, expiresAt: { gt: now } };
}

/**
 * Revokes every active session of the user and deletes the refresh tokens of all its sessions.
 * Returns the ids of the sessions it ended (none when the user had no active session).
 */
export async function revokeUserSessions(tx: Tx, userId: string, now: Date = new Date()): Promise<string[]> {
  const active = await tx.session.findMany({ where: { userId, ...activeSessionsWhere(now) }, select: { id: true }, orderBy: { id: "asc" } });
  const ids = active.map((session) => session.id);
  if (ids.length > 0) {
    // revokedAt: null again, so a concurrent revocation keeps its own (earlier) instant.
    await tx.session.updateMany({ where: { id: { in: ids }, revokedAt: null }, data: { revokedAt: now } });
  }
  await tx.refreshToken.deleteMany({ where: { session: { userId } } });
  return ids;
}

/**
 * Revokes one session (if still active) and deletes its refresh tokens. Returns whether this call
 * ended it: false for a session already revoked or expired, which is left as it was.
 */
export async function revokeSession(tx: Tx, sessionId: string, now: Date = new Date()): Promise<boolean> {
  const { count } = await tx.session.updateMany({ where: { id: sessionId, ...activeSessionsWhere(now) }, data: { revokedAt: now } });
  await tx.refreshToken.deleteMany({ where: { sessionId } });
  return count > 0;
}

/** Seed 001 "log out of all sessions": ends every active session of the user. */
export async function logoutUser(prisma: PrismaClient, actor: Actor, input: { userId: string }) {
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, actor.realmId);
    await assertMayActOn(tx, actor, { type: "user", id: user.id });
    const revokedSessionIds = await revokeUserSessions(tx, user.id);
    await recordAudit(tx, actor, {
      action: "user.sessions.revoke_all",
      targetType: "User",
      targetId: user.id,
      changes: revokedSessionIds.length === 0 ? {} : { activeSessions: { before: revokedSessionIds.length, after: 0 } },
    });
    return { user, revokedSessionIds };
  });
}

/** Ends one session of a user of the realm; one already ended is left as it was. */
export async function revokeUserSession(prisma: PrismaClient, actor: Actor, input: { sessionId: string }) {
  return prisma.$transaction(async (tx) => {
    const before = await tx.session.findFirst({ where: { id: input.sessionId, realmId: actor.realmId } });
    if (!before) throw new NotFoundError("Session", input.sessionId);
    await assertMayActOn(tx, actor, { type: "user", id: before.userId });
    const ended = await revokeSession(tx, before.id);
    const session = await tx.session.findUniqueOrThrow({ where: { id: before.id } });
    await recordAudit(tx, actor, {
      action: "user.session.revoke",
      targetType: "User",
      targetId: before.userId,
      changes: ended ? { [`sessions.${before.id}.revokedAt`]: { before: null, after: session.revokedAt } } : {},
    });
    return { session };
  });
}
