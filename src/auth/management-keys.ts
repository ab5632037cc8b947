// Seed 001 management keys as presented: `Bearer <realm id>:<key>`. Keys are stored as a hash
// (services/management-keys.ts creates and revokes them); lookups go by that hash.
import type { PrismaClient } from "../generated/prisma/client.js";
import { InvalidTokenError } from "./auth-errors.js";
import { hashSecret } from "../services/secrets.js";

export type ManagementKeyGrant = { id: string; realmId: string; scopes: string[] };

/** Recognises the `<realm id>:<key>` form; JWTs never contain a colon. */
export function parseManagementKey(credential: string): { realmId: string; key: string } | null {
  const colon = credential.indexOf(":");
  if (colon <= 0) return null;
  return { realmId: credential.slice(0, colon), key: credential.slice(colon + 1) };
}

export async function verifyManagementKey(
  prisma: Pick<PrismaClient, "managementKey">,
  credential: { realmId: string; key: string },
): Promise<ManagementKeyGrant> {
  const row = await prisma.managementKey.findUnique({ where: { keyHash: hashSecret(credential.key) } });
  if (!row || row.realmId !== credential.realmId) throw new InvalidTokenError("Unknown management key");
  if (row.revokedAt) throw new InvalidTokenError("The management key was revoked");
  if (row.expiresAt && row.expiresAt <= new Date()) throw new InvalidTokenError("The management key expired");
  return { id: row.id, realmId: row.realmId, scopes: row.scopes };
}
