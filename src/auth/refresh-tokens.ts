// Sessions and their single-use refresh tokens. A refresh token is random, stored as a hash,
// and replaced at every use; presenting one that was already used means it leaked, so the
// whole session is revoked (reuse detection, RFC 9700 §4.14.2).
import { newId } from "../db/ids.js";
import { prepared, type SqlReader } from "../db/sql-reader.js";
import type { PrismaClient, User } from "../generated/prisma/client.js";
import { revokeSession } from "../services/sessions.js";
import { OAuthError } from "./auth-errors.js";
import { generateSecret, hashSecret } from "../services/secrets.js";

/** A refresh token's value, given to the client once, and the hash that is stored. */
export function newRefreshToken(): { token: string; hash: string } {
  const token = `rt_${generateSecret()}`;
  return { token, hash: hashSecret(token) };
}

type StoredRefreshToken = {
  id: string;
  usedAt: Date | null;
  expiresAt: Date;
  sessionId: string;
  applicationId: string | null;
  revokedAt: Date | null;
  sessionCreatedAt: Date;
  sessionExpiresAt: Date;
  audience: string | null;
  requestedScope: string | null;
  passwordExpired: boolean;
};

/**
 * Spending a token as one statement (atomic without a transaction): mark it used only if it is
 * still unused, so two concurrent uses cannot both succeed, and only while the user's password
 * has not expired (an administrator may expire it at any moment); touch the session; store the
 * successor; and read the user. No row when the token was spent or the password expired meanwhile.
 */
const spendRefreshToken = prepared(`
  WITH spent AS (
    UPDATE "RefreshToken" rt SET "usedAt" = $2 FROM "Session" s JOIN "User" u ON u.id = s."userId"
    WHERE rt.id = $1 AND rt."usedAt" IS NULL AND s.id = rt."sessionId" AND NOT u."passwordExpired"
    RETURNING rt."sessionId"
  ), touched AS (
    UPDATE "Session" SET "lastUsedAt" = $2 WHERE id IN (SELECT "sessionId" FROM spent)
  ), successor AS (
    INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
    SELECT $3, "sessionId", $4, $2, $5 FROM spent
  )
  SELECT u.* FROM "User" u JOIN "Session" s ON s."userId" = u.id WHERE s.id IN (SELECT "sessionId" FROM spent)`);

/** A refresh token by its hash, with what the grant needs of its session and user. */
const refreshTokenByHash = prepared(
  `SELECT rt.id, rt."usedAt", rt."expiresAt", rt."sessionId", s."applicationId", s."revokedAt",
          s."createdAt" AS "sessionCreatedAt", s."expiresAt" AS "sessionExpiresAt", s.audience, s."requestedScope",
          u."passwordExpired"
   FROM "RefreshToken" rt JOIN "Session" s ON s.id = rt."sessionId" JOIN "User" u ON u.id = s."userId"
   WHERE rt."tokenHash" = $1`,
);

const passwordExpired = () => new OAuthError("invalid_grant", "The password has expired; change it with POST /auth/password/change");

/**
 * Spends a refresh token: returns its session, the user and a successor token. A used, expired
 * or foreign token, or one of a user whose password expired, is `invalid_grant`; a used one also
 * revokes its session. Driver statements (a read and a write) rather than Prisma's: every refresh
 * of every signed-in client runs this.
 */
export async function rotateRefreshToken(deps: { prisma: PrismaClient; read: SqlReader }, token: string, applicationId: string) {
  const [stored] = await deps.read<StoredRefreshToken>(refreshTokenByHash, [hashSecret(token)]);
  if (!stored || stored.applicationId !== applicationId) {
    throw new OAuthError("invalid_grant", "The refresh token is invalid");
  }
  if (stored.usedAt) {
    await deps.prisma.$transaction((tx) => revokeSession(tx, stored.sessionId));
    throw new OAuthError("invalid_grant", "The refresh token was already used; the session is revoked");
  }
  const now = new Date();
  if (stored.revokedAt || stored.expiresAt <= now) {
    throw new OAuthError("invalid_grant", "The session has ended");
  }
  if (stored.passwordExpired) throw passwordExpired();
  const successor = newRefreshToken();
  const [user] = await deps.read<User>(spendRefreshToken, [stored.id, now, newId("refreshToken"), successor.hash, stored.sessionExpiresAt]);
  if (!user) throw new OAuthError("invalid_grant", "The refresh token was already used");
  const session = {
    id: stored.sessionId,
    createdAt: stored.sessionCreatedAt,
    audience: stored.audience,
    requestedScope: stored.requestedScope,
  };
  return { session, user, refreshToken: successor.token };
}
