// Seed 001 management keys: `Bearer <realm id>:<key>`. The key is random, shown once, and
// stored as a hash; lookups go by that hash.
import { newId } from "../db/ids.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { InvalidTokenError } from "./auth-errors.js";
import { generateSecret, hashSecret } from "../services/secrets.js";

export type ManagementKeyGrant = { id: string; realmId: string; scopes: string[] };

/** Recognises the `<realm id>:<key>` form; JWTs never contain a colon. */
export function parseManagementKey(credential: string): { realmId: string; key: string } | null {
  const colon = credential.indexOf(":");
  if (colon <= 0) return null;
  return { realmId: credential.slice(0, colon), key: credential.slice(colon + 1) };
}

export async function createManagementKey(
  prisma: Pick<PrismaClient, "managementKey">,
  input: { realmId: string; name: string; scopes: string[]; expiresAt: Date | null; createdBy: string | null },
) {
  const key = `ugk_${generateSecret()}`;
  const row = await prisma.managementKey.create({
    data: {
      id: newId("managementKey"),
      realmId: input.realmId,
      name: input.name,
      keyPrefix: key.slice(0, 10),
      keyHash: hashSecret(key),
      scopes: input.scopes,
      expiresAt: input.expiresAt,
      createdBy: input.createdBy,
    },
  });
  return { row, key };
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
