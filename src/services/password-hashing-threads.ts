// Threads that compute argon2id for the password module, at a lower CPU priority than the rest
// of the process. Hashing is throughput work; the event loop serves every other request, so
// when both want a CPU the kernel gives most of it to the event loop. (@node-rs/argon2's async calls run
// in libuv's pool at normal priority: there a sign-in burst took CPU from reads and their p99
// grew 2.5-3x; see bench/sign-in.ts.)
import { Worker } from "node:worker_threads";
import type { Options } from "@node-rs/argon2";
import { createConcurrencyLimit, type ConcurrencyLimit } from "./concurrency-limit.js";

export type HashingJob =
  | { kind: "hash"; password: string; options: Options }
  | { kind: "verify"; hash: string; password: string };

type Answer = { id: number; value: string | boolean } | { id: number; error: string };
type Pending = { id: number; resolve: (value: string | boolean) => void; reject: (error: Error) => void };

export type HashingThreads = {
  /** The hash (PHC string) or whether the password matches; rejects on a malformed hash. */
  run(job: HashingJob & { kind: "hash" }): Promise<string>;
  run(job: HashingJob & { kind: "verify" }): Promise<boolean>;
  /** Jobs computing and waiting, as the concurrency limit counts them. */
  readonly slots: Pick<ConcurrencyLimit, "max" | "active" | "waiting">;
  /** Ends the threads; jobs still running reject. */
  close(): Promise<void>;
};

const workerFile = new URL("./password-hashing-worker.mjs", import.meta.url);

/**
 * One job per thread at a time; threads start on first use and do not keep the process alive
 * while idle. `allowed` may run fewer jobs at once than there are threads, for a while.
 */
export function createHashingThreads(options: { threads: number; nice: number; allowed?: () => number }): HashingThreads {
  const slots = createConcurrencyLimit(options.threads, options.allowed);
  const idle: HashingThread[] = [];
  const all = new Set<HashingThread>();
  let nextId = 0;

  const spawn = (): HashingThread => {
    const thread = new HashingThread(options.nice, () => all.delete(thread));
    all.add(thread);
    return thread;
  };

  const run = (job: HashingJob) =>
    slots.run(async () => {
      // A slot guarantees a thread: at most `threads` jobs hold one, and each gives it back.
      const thread = idle.pop() ?? spawn();
      try {
        return await thread.compute(nextId++, job);
      } finally {
        if (thread.alive) idle.push(thread);
      }
    });

  return {
    run: run as HashingThreads["run"],
    slots,
    async close() {
      idle.length = 0;
      await Promise.all([...all].map((thread) => thread.terminate()));
    },
  };
}

class HashingThread {
  private readonly worker: Worker;
  private pending: Pending | null = null;
  alive = true;

  constructor(nice: number, onGone: () => void) {
    this.worker = new Worker(workerFile, { workerData: { nice } });
    this.worker.unref();
    this.worker.on("message", (answer: Answer) => {
      const pending = this.pending;
      if (!pending || pending.id !== answer.id) return;
      this.settle();
      if ("error" in answer) pending.reject(new Error(answer.error));
      else pending.resolve(answer.value);
    });
    // A thread that fails or exits is dropped; its job rejects and the next job starts a new one.
    const gone = (error: Error) => {
      this.alive = false;
      onGone();
      const pending = this.pending;
      this.settle();
      pending?.reject(error);
    };
    this.worker.on("error", gone);
    this.worker.on("exit", (code) => gone(new Error(`The hashing thread exited (code ${code})`)));
  }

  compute(id: number, job: HashingJob): Promise<string | boolean> {
    if (!this.alive) return Promise.reject(new Error("The hashing thread has exited"));
    // Held while computing, so a script awaiting a hash does not exit under it.
    this.worker.ref();
    return new Promise((resolve, reject) => {
      this.pending = { id, resolve, reject };
      this.worker.postMessage({ id, job });
    });
  }

  async terminate(): Promise<void> {
    await this.worker.terminate();
  }

  private settle() {
    this.pending = null;
    this.worker.unref();
  }
}
