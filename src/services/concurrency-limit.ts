// A counting semaphore: at most `max` tasks run at once, the rest wait in arrival order.
// Password hashing uses it to hand each hashing thread one job at a time and queue the rest.

export type ConcurrencyLimit = {
  run<T>(task: () => Promise<T>): Promise<T>;
  readonly max: number;
  /** Tasks running now. */
  readonly active: number;
  /** Tasks waiting for a slot. */
  readonly waiting: number;
};

export function createConcurrencyLimit(max: number): ConcurrencyLimit {
  if (!Number.isInteger(max) || max < 1) throw new RangeError(`A concurrency limit must be a positive integer, not ${max}`);
  let active = 0;
  const queue: Array<() => void> = [];

  const release = () => {
    const next = queue.shift();
    if (next) next(); // the slot passes straight to the next task
    else active--;
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
      if (active < max) active++;
      else await new Promise<void>((resolve) => queue.push(resolve));
      try {
        return await task();
      } finally {
        release();
      }
    },
  };
}
