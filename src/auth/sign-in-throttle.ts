// Brute-force protection: too many failed sign-ins for one identifier from one address within
// the window lock further attempts, before any password is hashed. The failures are the
// LoginEvents themselves, so every replica sees the same count without extra state, counts
// survive restarts, and an admin unlock is a timestamp on the user.
import type { SqlReader } from "../db/sql-reader.js";

export type ThrottleSettings = { maxFailures: number; failureWindowSeconds: number };

const countedOutcomes = ["wrong_password", "invalid_passkey", "unknown_user"] as const;

/** Seconds until the identifier may try again from this address, or null when it may now. */
export async function lockedForSeconds(
  read: SqlReader,
  settings: ThrottleSettings,
  attempt: { realmId: string; identifier: string; ip: string | null; unlockedAt: Date | null },
): Promise<number | null> {
  const windowStart = new Date(Date.now() - settings.failureWindowSeconds * 1000);
  const since = attempt.unlockedAt && attempt.unlockedAt > windowStart ? attempt.unlockedAt : windowStart;
  const failures = await read<{ createdAt: Date }>(
    `SELECT "createdAt" FROM "LoginEvent"
     WHERE "realmId" = $1 AND identifier = $2 AND ip IS NOT DISTINCT FROM $3
       AND outcome::text = ANY($4) AND "createdAt" > $5
     ORDER BY "createdAt" DESC LIMIT $6`,
    [attempt.realmId, attempt.identifier, attempt.ip, [...countedOutcomes], since, settings.maxFailures],
  );
  if (failures.length < settings.maxFailures) return null;
  // Locked until the oldest of the last N failures leaves the window.
  const oldest = failures[failures.length - 1]!.createdAt.getTime();
  return Math.max(1, Math.ceil((oldest + settings.failureWindowSeconds * 1000 - Date.now()) / 1000));
}
