// A counting semaphore: at most `max` tasks run at once, the rest wait in arrival order.
// Password hashing uses it to hand each hashing thread one job at a time and queue the rest;
// `allowed` lowers the limit for a while (hashing gives a core back when the event loop is busy).

export type ConcurrencyLimit = {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly max: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
};

/** `allowed` is asked at every start and end of a task; its answer is kept within 1..max. */
export function createConcurrencyLimit(max: number, allowed: () => number = () => max): ConcurrencyLimit {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`A concurrency limit must be a positive integer, not ${max}`);
  let active = 0;
  const queue: Array<() => void> = [];
  const limit = () => Math.min(max, Math.max(1, allowed()));

  const release = () => {
    active--;
    // Several may start at once: the limit may have risen while they waited.
    while (queue.length > 0 && active < limit()) {
      active++;
      queue.shift()!();
    }
  };

  return {
    max,
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
    async run(task) {
      if (queue.length === 0 && active < limit()) active++;
      else await new Promise<void>((resolve) => queue.push(resolve)); // release() counts it in
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
