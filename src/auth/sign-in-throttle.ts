// Brute-force protection: too many failed sign-ins for one identifier from one address within
// the window lock further attempts, before any password is hashed. The failures are the
// LoginEvents themselves, so every replica sees the same count without extra state, counts
// survive restarts, and an admin unlock is a timestamp on the user.
import { prepared, type SqlReader } from "../db/sql-reader.js";
import type { User } from "../generated/prisma/client.js";

export type ThrottleSettings = { maxFailures: number; failureWindowSeconds: number };

const countedOutcomes = ["wrong_password", "invalid_passkey", "unknown_user"] as const;

type FailureState = { failureCount: number; oldestFailureAt: Date | null };

/** The user named by $2 (or a row of nulls) with the count and oldest of its last $6 failures from address $3. */
const userAndRecentFailures = prepared(
  `WITH named AS (
     SELECT * FROM "User" WHERE "realmId" = $1 AND (email = $2 OR username = $2) LIMIT 1
   ), failures AS (
     SELECT "createdAt" FROM "LoginEvent"
     WHERE "realmId" = $1 AND identifier = $2 AND ip IS NOT DISTINCT FROM $3
       AND outcome::text = ANY($4) AND "createdAt" > GREATEST($5, (SELECT "signInUnlockedAt" FROM named))
     ORDER BY "createdAt" DESC LIMIT $6
   )
   SELECT named.*, f."failureCount", f."oldestFailureAt"
   FROM (SELECT count(*)::int AS "failureCount", min("createdAt") AS "oldestFailureAt" FROM failures) f
   LEFT JOIN named ON true`,
);

/**
 * The user an identifier names (or null), and for how many seconds sign-in is locked for the
 * identifier from this address (null when it is not): one statement, as every password sign-in
 * asks both before hashing. Failures count from the user's admin unlock when that is newer
 * than the window's start.
 */
export async function userAndLockout(
  read: SqlReader,
  settings: ThrottleSettings,
  attempt: { realmId: string; identifier: string; ip: string | null },
): Promise<{ user: User | null; lockedForSeconds: number | null }> {
  const windowStart = new Date(Date.now() - settings.failureWindowSeconds * 1000);
  const [row] = await read<User & FailureState>(userAndRecentFailures, [
    attempt.realmId,
    attempt.identifier,
    attempt.ip,
    [...countedOutcomes],
    windowStart,
    settings.maxFailures,
  ]);
  const { failureCount, oldestFailureAt, ...user } = row!;
  return {
    user: user.id === null ? null : user,
    lockedForSeconds: failureCount < settings.maxFailures || !oldestFailureAt ? null : lockedUntilOldestLeaves(settings, oldestFailureAt),
  };
}

/** Locked until the oldest of the last N failures leaves the window. */
function lockedUntilOldestLeaves(settings: ThrottleSettings, oldest: Date): number {
  return Math.max(1, Math.ceil((oldest.getTime() + settings.failureWindowSeconds * 1000 - Date.now()) / 1000));
}
