// A paced (open-loop) load: requests leave at a fixed rate whatever the answers do, and each
// latency counts from the moment its request was due. A closed loop that saturates the server
// (autocannon's default) measures its throughput: latency there is mostly queueing behind the
// bench's own earlier requests. autocannon's rate option sends each second's quota in a burst
// at the start of the second, so it cannot pace.
import http from "node:http";
import os from "node:os";
import { figuresFromSamples, type LoadFigures } from "./load.js";
import type { Scenario } from "./scenarios.js";

export type PacedSettings = { ratePerSecond: number; durationSeconds: number };

type Outcome = { latencyMs: number; status: number; ok: boolean; body: string } | { latencyMs: number; error: true };

export async function runPaced(baseUrl: string, scenario: Scenario, settings: PacedSettings, round = 1): Promise<LoadFigures> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
  const url = new URL(baseUrl);
  const intervalMs = 1000 / settings.ratePerSecond;
  const outcomes: Array<Promise<Outcome>> = [];

  const send = (n: number, dueAt: number): Promise<Outcome> =>
    new Promise((resolve) => {
      const built = scenario.request(n);
      const request = http.request(
        { agent, host: url.hostname, port: url.port, method: built.method, path: built.path, headers: built.headers, timeout: 30_000 },
        (response) => {
          const chunks: Buffer[] = [];
          response.on("data", (chunk: Buffer) => chunks.push(chunk));
          response.on("end", () => {
            const body = Buffer.concat(chunks).toString("utf8");
            const status = response.statusCode ?? 0;
            resolve({ latencyMs: performance.now() - dueAt, status, ok: status >= 200 && status < 300 && scenario.verifyBody(body), body });
          });
        },
      );
      request.on("timeout", () => request.destroy(new Error("timeout")));
      request.on("error", () => resolve({ latencyMs: performance.now() - dueAt, error: true }));
      request.end(built.body);
    });

  const loadAverageBefore = os.loadavg()[0]!;
  const started = performance.now();
  const endsAt = started + settings.durationSeconds * 1000;
  let n = 0;
  // Timers fire at best every millisecond: each wake-up sends every request already due, timed
  // from when it was due, so a late bench adds to the figures instead of hiding a stall.
  while (started + n * intervalMs < endsAt) {
    const now = performance.now();
    while (started + n * intervalMs <= now && started + n * intervalMs < endsAt) {
      outcomes.push(send(n, started + n * intervalMs));
      n++;
    }
    const nextDue = started + n * intervalMs;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, nextDue - performance.now())));
  }
  const settled = await Promise.all(outcomes);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();

  const latenciesMs = settled.filter((o): o is Extract<Outcome, { ok: boolean }> => !("error" in o) && o.ok).map((o) => o.latencyMs);
  const statusCodes: Record<string, number> = {};
  let errors = 0;
  let badBodies = 0;
  let badBodySample: string | null = null;
  for (const outcome of settled) {
    if ("error" in outcome) {
      errors++;
      continue;
    }
    statusCodes[outcome.status] = (statusCodes[outcome.status] ?? 0) + 1;
    if (!outcome.ok) {
      badBodies++;
      badBodySample ??= outcome.body.slice(0, 400);
    }
  }
  return figuresFromSamples({
    scenario: scenario.name,
    description: scenario.description,
    round,
    connections: 0,
    latenciesMs,
    answered: settled.length - errors,
    statusCodes,
    errors,
    badBodies,
    badBodySample,
    elapsedSeconds,
    loadAverageBefore,
  });
}
