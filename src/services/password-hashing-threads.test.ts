// The hashing threads as a pool: answers come back to the job that asked, a thread that ends
// takes only its own job with it, and the pool starts a new thread for the next one.
import { afterEach, describe, expect, it } from "vitest";
import { hashingParameters } from "./passwords.js";
import { createHashingThreads, type HashingThreads } from "./password-hashing-threads.js";

const cheap = { ...hashingParameters, memoryCost: 1024, timeCost: 1 };
let pool: HashingThreads | undefined;
afterEach(() => pool?.close());

describe("createHashingThreads", () => {
  it("answers each job with its own result, several threads at once", async () => {
    pool = createHashingThreads({ threads: 2, nice: 10 });
    const passwords = ["first password", "second password", "third password", "fourth password"];
    const hashes = await Promise.all(passwords.map((password) => pool!.run({ kind: "hash", password, options: cheap })));
    const checks = await Promise.all(
      hashes.flatMap((hash, index) => [
        pool!.run({ kind: "verify", hash, password: passwords[index]! }),
        pool!.run({ kind: "verify", hash, password: passwords[(index + 1) % passwords.length]! }),
      ]),
    );
    expect(checks).toEqual([true, false, true, false, true, false, true, false]);
  });

  it("rejects a job whose hash is malformed, and goes on with the next", async () => {
    pool = createHashingThreads({ threads: 1, nice: 10 });
    await expect(pool.run({ kind: "verify", hash: "not a hash", password: "whatever" })).rejects.toThrow();
    const hash = await pool.run({ kind: "hash", password: "still works", options: cheap });
    expect(await pool.run({ kind: "verify", hash, password: "still works" })).toBe(true);
  });

  it("rejects the jobs of threads that end, and starts new threads for later jobs", async () => {
    pool = createHashingThreads({ threads: 1, nice: 10 });
    const running = pool.run({ kind: "hash", password: "interrupted", options: hashingParameters });
    const waiting = pool.run({ kind: "hash", password: "queued behind it", options: cheap });
    await pool.close();
    await expect(running).rejects.toThrow(/exited/);
    expect(await waiting).toMatch(/^\$argon2id\$/);
    expect(pool.slots.active).toBe(0);
  });
});
