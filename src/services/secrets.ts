// Client ids, client secrets and key material. Secrets are random 256-bit values, so a single
// SHA-256 is a sufficient, fast hash (unlike passwords, which need a slow KDF); comparisons run
// in constant time.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export function generateClientId(): string {
  return randomBytes(16).toString("base64url");
}

export function generateSecret(): string {
  return randomBytes(32).toString("base64url");
}

export function hashSecret(secret: string): string {
  return `sha256:${createHash("sha256").update(secret, "utf8").digest("base64url")}`;
}

export function verifySecret(secret: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "utf8");
  const actual = Buffer.from(hashSecret(secret), "utf8");
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
