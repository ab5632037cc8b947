// How busy this process's event loop has been lately: the share of the last sampling interval it
// spent running callbacks rather than waiting for I/O. Sampled on an unref'd timer that starts
// with the first question, so processes that never ask (CLIs, most tests) run no timer.
import { performance, type EventLoopUtilization } from "node:perf_hooks";

export type EventLoopLoad = {
  /** Utilization over the last complete interval, 0..1 (0 until one has passed). */
  utilization(): number;
};

export function createEventLoopLoad(intervalMs = 100): EventLoopLoad {
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  let previous: EventLoopUtilization;
  const start = () => {
    previous = performance.eventLoopUtilization();
    timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      last = performance.eventLoopUtilization(now, previous).utilization;
      previous = now;
    }, intervalMs);
    timer.unref();
  };
  return {
    utilization() {
      if (!timer) start();
      return last;
    },
  };
}
