// One scenario under load: autocannon in this process (the server is another process), a
// warm-up whose figures are thrown away, then the measured run.
import os from "node:os";
import autocannon from "autocannon";
import type { Scenario } from "./scenarios.js";

export type LoadSettings = { connections: number; durationSeconds: number; warmupSeconds: number; rounds: number };

/** What the load runner needs of the server process. */
export type ServerGauge = {
  /** Waits until the server has finished requests a previous run left in flight; returns the wait. */
  settle(): Promise<number>;
  /** CPU time the server process has used so far, in ms. */
  cpuMs(): number | null;
};

export type LoadFigures = {
  scenario: string;
  description: string;
  round: number;
  connections: number;
  requestsPerSecond: number;
  totalRequests: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /**
   * Server-process CPU per completed request in µs: the cost of one request, much less sensitive
   * than throughput to other work on the machine (the database server's CPU is not included).
   */
  serverCpuUsPerRequest: number | null;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  non2xx: number;
  /** Responses whose body was not a success (e.g. GraphQL `errors`); includes non-2xx. */
  badBodies: number;
  statusCodes: Record<string, number>;
  durationSeconds: number;
  /** How long the server kept working on requests left in flight when the run ended. */
  drainMs: number;
  /** The machine's 1-minute load average when the measured run started (other work skews figures). */
  loadAverageBefore: number;
  /** The first response that failed `verifyBody`, cut short. */
  badBodySample: string | null;
};

type Sampler = { badBody: string | null };

function options(
  baseUrl: string,
  scenario: Scenario,
  connections: number,
  durationSeconds: number,
  sampler: Sampler,
): autocannon.Options {
  const first = scenario.request(0);
  let next = 0;
  return {
    url: baseUrl,
    connections,
    duration: durationSeconds,
    timeout: 30,
    method: first.method,
    headers: first.headers,
    ...(first.body !== undefined ? { body: first.body } : {}),
    verifyBody: (body) => {
      const text = typeof body === "string" ? body : String(body ?? "");
      if (scenario.verifyBody(text)) return true;
      sampler.badBody ??= text.slice(0, 400);
      return false;
    },
    requests: [
      scenario.rotating
        ? {
            setupRequest: (request) => {
              const built = scenario.request(next++);
              return { ...request, method: built.method, path: built.path, headers: built.headers, body: built.body };
            },
          }
        : { method: first.method, path: first.path },
    ],
  };
}

/**
 * Load whose figures are thrown away: lets the server compile its hot paths and fill its caches.
 * The first pass over all scenarios needs it most (the first GraphQL requests cost 2-3 times more).
 */
export async function warmUp(baseUrl: string, scenario: Scenario, settings: LoadSettings, server: ServerGauge) {
  if (settings.warmupSeconds <= 0) return;
  await server.settle();
  await autocannon(options(baseUrl, scenario, scenario.connections ?? settings.connections, settings.warmupSeconds, { badBody: null }));
}

/** Settles the server before the warm-up, before the measured run and after it. */
export async function runLoad(
  baseUrl: string,
  scenario: Scenario,
  settings: LoadSettings,
  server: ServerGauge,
  round = 1,
): Promise<LoadFigures> {
  await warmUp(baseUrl, scenario, settings, server);
  await server.settle();
  const connections = scenario.connections ?? settings.connections;
  const sampler: Sampler = { badBody: null };
  const loadAverageBefore = os.loadavg()[0]!;
  const cpuBefore = server.cpuMs();
  const result = await autocannon(options(baseUrl, scenario, connections, settings.durationSeconds, sampler));
  // Requests still in flight when autocannon stopped are served during the drain: count their CPU
  // too, together with the requests they belong to (sent, not only completed).
  const drainMs = await server.settle();
  const cpuAfter = server.cpuMs();
  const statusCodes: Record<string, number> = {};
  for (const [code, stats] of Object.entries(result.statusCodeStats ?? {})) statusCodes[code] = stats.count ?? 0;
  const served = Math.max(result.requests.sent, result.requests.total);
  return {
    scenario: scenario.name,
    description: scenario.description,
    round,
    connections,
    requestsPerSecond: result.requests.average,
    totalRequests: result.requests.total,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.mean,
    },
    serverCpuUsPerRequest:
      cpuBefore !== null && cpuAfter !== null && served > 0 ? ((cpuAfter - cpuBefore) * 1000) / served : null,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    badBodies: result.mismatches,
    statusCodes,
    durationSeconds: result.duration,
    drainMs,
    loadAverageBefore,
    badBodySample: sampler.badBody,
  };
}

/** Figures from latencies one of the bench's own clients recorded (the paced and the refresh loads). */
export function figuresFromSamples(input: {
  scenario: string;
  description: string;
  round: number;
  connections: number;
  /** Milliseconds, of the successful answers. */
  latenciesMs: number[];
  /** Answers received, successful or not. */
  answered: number;
  statusCodes: Record<string, number>;
  errors: number;
  badBodies: number;
  badBodySample: string | null;
  elapsedSeconds: number;
  loadAverageBefore: number;
}): LoadFigures {
  const sorted = [...input.latenciesMs].sort((a, b) => a - b);
  const tenths = (value: number) => Math.round(value * 10) / 10;
  const at = (share: number) => tenths(sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * share))] ?? NaN);
  const non2xx = Object.entries(input.statusCodes).reduce((sum, [code, count]) => sum + (code.startsWith("2") ? 0 : count), 0);
  return {
    scenario: input.scenario,
    description: input.description,
    round: input.round,
    connections: input.connections,
    requestsPerSecond: input.answered / input.elapsedSeconds,
    totalRequests: input.answered + input.errors,
    latencyMs: { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1), mean: tenths(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) },
    serverCpuUsPerRequest: null,
    errors: input.errors,
    timeouts: 0,
    non2xx,
    badBodies: input.badBodies,
    statusCodes: input.statusCodes,
    durationSeconds: input.elapsedSeconds,
    drainMs: 0,
    loadAverageBefore: input.loadAverageBefore,
    badBodySample: input.badBodySample,
  };
}
