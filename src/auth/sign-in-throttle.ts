// Brute-force protection: too many failed sign-ins for one identifier from one address within
// the window lock further attempts, before any password is hashed. The failures are the
// LoginEvents themselves, so every replica sees the same count without extra state, counts
// survive restarts, and an admin unlock is a timestamp on the user.
import type { PrismaClient } from "../generated/prisma/client.js";

export type ThrottleSettings = { maxFailures: number; failureWindowSeconds: number };

const countedOutcomes = ["wrong_password", "invalid_passkey", "unknown_user"] as const;

/** Seconds until the identifier may try again from this address, or null when it may now. */
export async function lockedForSeconds(
  prisma: Pick<PrismaClient, "loginEvent">,
  settings: ThrottleSettings,
  attempt: { realmId: string; identifier: string; ip: string | null; unlockedAt: Date | null },
): Promise<number | null> {
  const windowStart = new Date(Date.now() - settings.failureWindowSeconds * 1000);
  const since = attempt.unlockedAt && attempt.unlockedAt > windowStart ? attempt.unlockedAt : windowStart;
  const failures = await prisma.loginEvent.findMany({
    where: {
      realmId: attempt.realmId,
      identifier: attempt.identifier,
      ip: attempt.ip,
      outcome: { in: [...countedOutcomes] },
      createdAt: { gt: since },
    },
    select: { createdAt: true },
    orderBy: { createdAt: "desc" },
    take: settings.maxFailures,
  });
  if (failures.length < settings.maxFailures) return null;
  // Locked until the oldest of the last N failures leaves the window.
  const oldest = failures[failures.length - 1]!.createdAt.getTime();
  return Math.max(1, Math.ceil((oldest + settings.failureWindowSeconds * 1000 - Date.now()) / 1000));
}
