// The password policy, argon2id hashing on low-priority threads, and the cap on concurrent hashing.
import { readdirSync, readFileSync } from "node:fs";
import { getPriority } from "node:os";
import { describe, expect, it } from "vitest";
import { createConcurrencyLimit } from "./concurrency-limit.js";
import { ValidationError } from "./errors.js";
import {
  hashingConcurrency,
  hashingConcurrencyWhileBusy,
  hashingNice,
  hashingThreads,
  hashPassword,
  needsRehash,
  passwordPolicyViolation,
  verifyAgainstDummy,
  verifyPassword,
} from "./passwords.js";

describe("the password policy", () => {
  const owner = { email: "jane@example.com", username: "jane.d" };

  it.each([
    ["8 characters", "abcdefgh"],
    ["8 characters outside ASCII", "пароль12"],
    ["256 bytes", "x".repeat(256)],
    ["a passphrase with spaces", "correct horse battery staple"],
  ])("accepts %s", (_label, password) => {
    expect(passwordPolicyViolation(password, owner)).toBeNull();
  });

  it.each([
    ["7 characters", "abcdefg", "at least 8"],
    ["257 bytes", "x".repeat(257), "at most 256 bytes"],
    ["129 two-byte characters", "é".repeat(129), "at most 256 bytes"],
    ["the email", "jane@example.com", "email"],
    ["the email in other letter case", "JANE@Example.COM", "email"],
  ])("refuses %s", (_label, password, reason) => {
    const violation = passwordPolicyViolation(password, owner);
    expect(violation).toBeInstanceOf(ValidationError);
    expect(violation).toMatchObject({ field: "input.password", message: expect.stringContaining(reason) });
  });

  it("refuses the login id in any letter case, and names the field it is given", () => {
    expect(passwordPolicyViolation("Jane.Doe.Login", { username: "jane.doe.login" }, "input.users.4.password")).toMatchObject({
      field: "input.users.4.password",
    });
  });

  it("counts characters after NFKC normalisation", () => {
    // Eight full-width letters normalise to eight ASCII letters; the email check sees the same.
    expect(passwordPolicyViolation("ＡＢＣＤＥＦＧＨ", {})).toBeNull();
    expect(passwordPolicyViolation("ｊａｎｅ＠ｅｘａｍｐｌｅ．ｃｏｍ", owner)).toMatchObject({ message: expect.stringContaining("email") });
  });
});

describe("hashing", () => {
  it("produces a salted argon2id PHC string that verifies only the same password", async () => {
    const first = await hashPassword("correct horse battery staple");
    const second = await hashPassword("correct horse battery staple");
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]+\$[A-Za-z0-9+/]+$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain("correct horse");
    expect(await verifyPassword(first, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(second, "correct horse battery staple")).toBe(true);
    expect(await verifyPassword(first, "Correct horse battery staple")).toBe(false);
  });

  it("verifies the NFKC form of what was hashed", async () => {
    const stored = await hashPassword("ＡＢＣＤＥＦＧＨ");
    expect(await verifyPassword(stored, "ABCDEFGH")).toBe(true);
  });

  it("answers false, never throws, for a malformed hash or an oversized password", async () => {
    expect(await verifyPassword("not a hash", "whatever-password")).toBe(false);
    expect(await verifyPassword("", "whatever-password")).toBe(false);
    const stored = await hashPassword("x".repeat(256));
    expect(await verifyPassword(stored, "x".repeat(100_000))).toBe(false);
  });

  it("verifyAgainstDummy always answers false", async () => {
    expect(await verifyAgainstDummy("anything at all")).toBe(false);
    expect(await verifyAgainstDummy("")).toBe(false);
  });

  it("runs off the event loop: the event loop keeps turning while a hash is computed", async () => {
    let turns = 0;
    let running = true;
    const spin = () => {
      turns++;
      if (running) setImmediate(spin);
    };
    setImmediate(spin);
    await Promise.all([hashPassword("one password"), hashPassword("another password")]);
    running = false;
    // A hash computed on the main thread would finish before the first setImmediate callback.
    expect(turns).toBeGreaterThan(2);
  });

  it("flags hashes made with other parameters for rehashing", async () => {
    expect(needsRehash(await hashPassword("current parameters"))).toBe(false);
    expect(needsRehash("$argon2id$v=19$m=4096,t=3,p=1$c29tZXNhbHRzb21lc2FsdA$q8AqJYdcuW3kV4fDkdPyOcGMeuq6mGKzMQDPl+H2BtQ")).toBe(true);
    expect(needsRehash("$2b$10$abcdefghijklmnopqrstuu")).toBe(true);
  });
});

describe("the hashing threads", () => {
  it("are one per core, and one fewer hash at a time while the event loop is busy", () => {
    expect(hashingConcurrency(1)).toBe(1);
    expect(hashingConcurrency(2)).toBe(2);
    expect(hashingConcurrency(16)).toBe(16);
    expect(hashingThreads.slots.max).toBe(hashingConcurrency());
    expect(hashingConcurrencyWhileBusy(1)).toBe(1);
    expect(hashingConcurrencyWhileBusy(2)).toBe(1);
    expect(hashingConcurrencyWhileBusy(16)).toBe(15);
  });

  it("queue hashes beyond their number instead of starting them", async () => {
    const { slots } = hashingThreads;
    const burst = Array.from({ length: slots.max * 3 }, (_, index) => hashPassword(`burst password ${index}`));
    // As many as the threads, or one fewer if this test's own event loop counts as busy.
    expect(slots.active).toBeGreaterThanOrEqual(hashingConcurrencyWhileBusy());
    expect(slots.active).toBeLessThanOrEqual(slots.max);
    expect(slots.active + slots.waiting).toBe(slots.max * 3);
    await Promise.all(burst);
    expect(slots.active).toBe(0);
    expect(slots.waiting).toBe(0);
  });

  it.runIf(process.platform === "linux")("run at a lower CPU priority, while the event loop keeps its own", async () => {
    await hashPassword("a password to start the threads");
    expect(hashingNice).toBeGreaterThan(0);
    expect(threadNiceValues().filter((nice) => nice === hashingNice)).toHaveLength(hashingThreads.slots.max);
    expect(getPriority(0)).toBe(0); // 0 is the calling thread: the event loop's
  });
});

/** The nice value of every thread of this process (field 19 of /proc/<pid>/task/<tid>/stat). */
function threadNiceValues(): number[] {
  return readdirSync("/proc/self/task").flatMap((tid) => {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      return [Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16])];
    } catch {
      return []; // the thread ended while we looked
    }
  });
}

describe("createConcurrencyLimit", () => {
  it("runs at most `max` tasks at once, the rest in arrival order, and frees slots on failure", async () => {
    const limit = createConcurrencyLimit(2);
    const started: number[] = [];
    let running = 0;
    let peak = 0;
    const releases: Array<() => void> = [];
    const task = (index: number) =>
      limit.run(async () => {
        started.push(index);
        peak = Math.max(peak, ++running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running--;
        if (index === 1) throw new Error("task 1 fails");
        return index;
      });
    const results = [0, 1, 2, 3, 4].map((index) => task(index).catch((error: Error) => error.message));
    const drain = async () => {
      while (releases.length > 0 || limit.active > 0) {
        await new Promise((resolve) => setImmediate(resolve));
        releases.shift()?.();
      }
    };
    await new Promise((resolve) => setImmediate(resolve));
    expect(limit.active).toBe(2);
    expect(limit.waiting).toBe(3);
    await drain();
    expect(await Promise.all(results)).toEqual([0, "task 1 fails", 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(peak).toBe(2);
    expect(limit.active).toBe(0);
  });

  it("refuses a limit below 1", () => {
    expect(() => createConcurrencyLimit(0)).toThrow(RangeError);
  });

  it("starts fewer tasks while `allowed` says so, and more again as soon as it allows them", async () => {
    let allowed = 1;
    const limit = createConcurrencyLimit(3, () => allowed);
    const releases: Array<() => void> = [];
    const task = () => limit.run(() => new Promise<void>((resolve) => releases.push(resolve)));
    const tasks = [task(), task(), task(), task()];
    await new Promise((resolve) => setImmediate(resolve));
    expect([limit.active, limit.waiting]).toEqual([1, 3]);

    allowed = 10; // kept within max: at most 3 run
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
    expect([limit.active, limit.waiting]).toEqual([3, 0]);

    allowed = 0; // kept within 1..max: the queue never stalls
    while (releases.length > 0) {
      releases.shift()!();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(tasks);
    expect([limit.active, limit.waiting]).toEqual([0, 0]);
  });
});
