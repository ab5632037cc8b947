// User passwords: the policy a new password must pass, and argon2id hashing.
//
// @node-rs/argon2 computes in libuv's thread pool (N-API async work), never on the event loop.
// That pool is shared with file system, DNS and some crypto work and has 4 threads by default,
// so hashing takes at most min(cores, pool size - 1) of them: a burst of sign-ins queues here
// instead of starving every other request. Passwords are NFKC-normalised before hashing and
// verifying, so the same characters typed on another keyboard give the same password.
// Nothing here logs or returns a password; the hash leaves this module only to be stored.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { hash, parseOptions, verify, type Algorithm, type Options } from "@node-rs/argon2";
import { createConcurrencyLimit } from "./concurrency-limit.js";
import { ValidationError } from "./errors.js";

export const passwordPolicy = {
  minLength: 8,
  /** UTF-8 bytes after normalisation; bounds the cost of hashing what a client sends. */
  maxBytes: 256,
} as const;

// Algorithm.Argon2id: an ambient const enum, which isolatedModules does not let us read.
const argon2id = 2 as Algorithm;

/** OWASP's first argon2id configuration: 19 MiB, 2 passes, 1 lane (~13 ms here). */
export const hashingParameters = { algorithm: argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const satisfies Options;

/**
 * Hashing slots: one per core but one, so that the event loop (which serves every read) keeps a
 * core while sign-ins run, and at least one libuv pool thread stays free for everything else.
 * With a slot on every core of a 2-core machine, reads waited for a CPU 41–54% of the time
 * during sign-ins and their p99 grew 3.3× instead of 2.6× (npm run bench -- --only sign-in).
 */
export function hashingConcurrency(cores = availableParallelism(), poolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4): number {
  return Math.max(1, Math.min(cores - 1, poolSize - 1));
}

export const hashingSlots = createConcurrencyLimit(hashingConcurrency());

const normalise = (password: string) => password.normalize("NFKC");

/**
 * Why the password may not be used, as a ValidationError naming `field`, or null when it passes:
 * at least 8 characters, at most 256 bytes, and not the user's email or login id (any letter case).
 */
export function passwordPolicyViolation(
  password: string,
  owner: { email?: string | null; username?: string | null },
  field = "input.password",
): ValidationError | null {
  const normalised = normalise(password);
  if ([...normalised].length < passwordPolicy.minLength) {
    return new ValidationError(field, `The password must be at least ${passwordPolicy.minLength} characters long`);
  }
  if (Buffer.byteLength(normalised, "utf8") > passwordPolicy.maxBytes) {
    return new ValidationError(field, `The password must be at most ${passwordPolicy.maxBytes} bytes long`);
  }
  const lowered = normalised.toLowerCase();
  for (const identifier of [owner.email, owner.username]) {
    if (identifier && lowered === normalise(identifier).toLowerCase()) {
      return new ValidationError(field, "The password must not be the user's email address or login id");
    }
  }
  return null;
}

/** An argon2id PHC string (`$argon2id$v=19$m=…`) with a fresh random salt. Check the policy first. */
export function hashPassword(password: string): Promise<string> {
  return hashingSlots.run(() => hash(normalise(password), hashingParameters));
}

/** True when the password matches the stored hash; false on a mismatch or a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  const normalised = normalise(password);
  if (Buffer.byteLength(normalised, "utf8") > passwordPolicy.maxBytes) return verifyAgainstDummy(password);
  try {
    return await hashingSlots.run(() => verify(storedHash, normalised));
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;

/**
 * Costs what verifyPassword costs and always answers false: sign-in runs it for an unknown user
 * or one without a password, so response times do not reveal which accounts exist.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummyHash ??= hashPassword(randomBytes(18).toString("base64url"));
  const stored = await dummyHash;
  await hashingSlots.run(() => verify(stored, normalise(password).slice(0, passwordPolicy.maxBytes))).catch(() => false);
  return false;
}

/** True when the hash was made with other parameters (or another algorithm) than today's. */
export function needsRehash(storedHash: string): boolean {
  try {
    const used = parseOptions(storedHash);
    return (
      used.algorithm !== hashingParameters.algorithm ||
      used.memoryCost !== hashingParameters.memoryCost ||
      used.timeCost !== hashingParameters.timeCost ||
      used.parallelism !== hashingParameters.parallelism
    );
  } catch {
    return true;
  }
}
