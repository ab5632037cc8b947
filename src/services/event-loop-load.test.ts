import { describe, expect, it } from "vitest";
import { createEventLoopLoad } from "./event-loop-load.js";

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Keeps the event loop running callbacks for `ms`, in slices, so that timers still fire between them. */
async function keepBusy(ms: number) {
  const until = performance.now() + ms;
  while (performance.now() < until) {
    const slice = performance.now() + 5;
    while (performance.now() < slice) {
      // spin
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

describe("createEventLoopLoad", () => {
  it("reads 0 before a first interval has passed", () => {
    expect(createEventLoopLoad(50).utilization()).toBe(0);
  });

  it("tells a busy event loop from an idle one", async () => {
    const load = createEventLoopLoad(50);
    load.utilization();
    await keepBusy(300);
    expect(load.utilization()).toBeGreaterThan(0.5);
    await pause(300);
    expect(load.utilization()).toBeLessThan(0.5);
  });
});
