// A password-hashing thread (plain JavaScript: Node loads it as it is, under tsx, vitest or
// node alike). It computes one argon2id hash or verification at a time, synchronously, on
// its own thread, and answers { id, value } or { id, error }.
import { setPriority } from "node:os";
import { parentPort, workerData } from "node:worker_threads";
import { hashSync, verifySync } from "@node-rs/argon2";

// Linux keeps a nice value per thread and `0` names the calling thread: only this thread
// yields the CPU to the event loop (and to PostgreSQL) when they want it. Elsewhere `0`
// would be the whole process, so the priority is left alone there.
if (process.platform === "linux") setPriority(0, workerData.nice);

parentPort.on("message", ({ id, job }) => {
  try {
    const value = job.kind === "hash" ? hashSync(job.password, job.options) : verifySync(job.hash, job.password);
    parentPort.postMessage({ id, value });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
