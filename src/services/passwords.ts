// User passwords: the policy a new password must pass, and argon2id hashing.
//
// Hashing runs on threads of its own at a lower CPU priority (password-hashing-threads.ts), one
// per core: when the CPUs are free sign-ins use them all, and when reads want a CPU the kernel
// gives it to the event loop first; while the event loop is busy, one core is left to it.
// Passwords are NFKC-normalised before hashing and verifying, so the same characters typed on
// another keyboard give the same password. Nothing here logs or returns a password; the hash
// leaves this module only to be stored.
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { parseOptions, type Algorithm, type Options } from "@node-rs/argon2";
import { createEventLoopLoad } from "./event-loop-load.js";
import { createHashingThreads } from "./password-hashing-threads.js";
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
 * Hashing threads: one per core, so that sign-ins use every core the rest of the process leaves
 * idle. While the event loop is busy (hashingYieldsAbove) one fewer hashes at a time: a core is
 * the event loop's and PostgreSQL's alone, since even at a lower priority a hashing thread
 * delays them each time they wake on its core, and its 19 MiB pass through the shared cache.
 */
export function hashingConcurrency(cores = availableParallelism()): number {
  return Math.max(1, cores);
}

export function hashingConcurrencyWhileBusy(cores = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * Event-loop utilization above which hashing gives a core back: above what sign-ins cause on
 * their own (~0.25 at full speed, their hashing being on the threads), so a sign-in burst on a
 * quiet machine still hashes on every core. Reads served at full speed make it 0.8-0.9.
 */
export const hashingYieldsAbove = 0.35;

/**
 * Nice value of the hashing threads (Linux gives one per thread). Measured with reads and
 * sign-ins together (npm run bench -- --only sign-in, 2 cores): on a machine loaded by other work
 * (load ~5), nice 10 gave a read p99 1.10x idle with 32 sign-ins/s, nice 19 1.12x but sign-ins
 * starved to 8/s (p99 3 s); on a quiet one the read p99 under sign-ins was 22-24 ms at nice 10,
 * 15 and 19 alike. 10 keeps sign-ins going under load and leaves them all of an idle CPU.
 */
export const hashingNice = 10;

const eventLoopLoad = createEventLoopLoad();
const cores = availableParallelism();
const [threads, threadsWhileBusy] = [hashingConcurrency(cores), hashingConcurrencyWhileBusy(cores)];

// `allowed` is asked at every start and end of a hash: it reads two numbers, no system call.
export const hashingThreads = createHashingThreads({
  threads,
  nice: hashingNice,
  allowed: () => (eventLoopLoad.utilization() > hashingYieldsAbove ? threadsWhileBusy : threads),
});

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
  return hashingThreads.run({ kind: "hash", password: normalise(password), options: hashingParameters });
}

/** True when the password matches the stored hash; false on a mismatch or a malformed hash. */
export async function verifyPassword(storedHash: string, password: string): Promise<boolean> {
  const normalised = normalise(password);
  if (Buffer.byteLength(normalised, "utf8") > passwordPolicy.maxBytes) return verifyAgainstDummy(password);
  try {
    return await hashingThreads.run({ kind: "verify", hash: storedHash, password: normalised });
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
  await hashingThreads
    .run({ kind: "verify", hash: stored, password: normalise(password).slice(0, passwordPolicy.maxBytes) })
    .catch(() => false);
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
