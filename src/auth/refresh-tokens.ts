// Sessions and their single-use refresh tokens. A refresh token is random, stored as a hash,
// and replaced at every use; presenting one that was already used means it leaked, so the
// whole session is revoked (reuse detection, RFC 9700 §4.14.2).
import { newId } from "../db/ids.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import { revokeSession } from "../services/sessions.js";
import { OAuthError } from "./auth-errors.js";
import { generateSecret, hashSecret } from "./secrets.js";

type Tx = Prisma.TransactionClient;

/** A refresh token's value, given to the client once, and the hash that is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `rt_${generateSecret()}`;
  return { token, hash: hashSecret(token) };
}

/** A new refresh token for the session; the plain value is returned once, only its hash kept. */
export async function issueRefreshToken(tx: Tx, session: { id: string; expiresAt: Date }): Promise<string> {
  const { token, hash } = newRefreshToken();
  await tx.refreshToken.create({
    data: { id: newId("refreshToken"), sessionId: session.id, tokenHash: hash, expiresAt: session.expiresAt },
  });
  return token;
}

/**
 * Spends a refresh token: returns its session (with the user) and a successor token. A used,
 * expired or foreign token is `invalid_grant`; a used one also revokes its session.
 */
export async function rotateRefreshToken(prisma: PrismaClient, token: string, applicationId: string) {
  const stored = await prisma.refreshToken.findUnique({
    where: { tokenHash: hashSecret(token) },
    include: { session: { include: { user: true } } },
  });
  if (!stored || stored.session.applicationId !== applicationId) {
    throw new OAuthError("invalid_grant", "The refresh token is invalid");
  }
  if (stored.usedAt) {
    await prisma.$transaction((tx) => revokeSession(tx, stored.sessionId));
    throw new OAuthError("invalid_grant", "The refresh token was already used; the session is revoked");
  }
  if (stored.session.revokedAt || stored.expiresAt <= new Date()) {
    throw new OAuthError("invalid_grant", "The session has ended");
  }
  return prisma.$transaction(async (tx) => {
    // Conditional update: two concurrent uses of one token cannot both succeed.
    const spent = await tx.refreshToken.updateMany({ where: { id: stored.id, usedAt: null }, data: { usedAt: new Date() } });
    if (spent.count === 0) throw new OAuthError("invalid_grant", "The refresh token was already used");
    await tx.session.update({ where: { id: stored.sessionId }, data: { lastUsedAt: new Date() } });
    const successor = await issueRefreshToken(tx, stored.session);
    return { session: stored.session, user: stored.session.user, refreshToken: successor };
  });
}
