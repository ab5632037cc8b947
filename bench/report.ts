// The results: one table on stdout (for the issue notes) and the full figures as JSON.
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LoadFigures, LoadSettings } from "./load.js";
import type { SearchPlan } from "./search.js";
import { signInLines, type SignInReport } from "./sign-in.js";

export const resultsDirectory = "/tmp/usergate-bench";

export type BenchReport = {
  startedAt: string;
  database: string;
  settings: LoadSettings;
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  server: {
    pid: number;
    coldStartMs: number;
    /** Start on the seeded database after the PGlite seeding restart, when there was one. */
    restartMs: number | null;
    rssKbAfterRun: number | null;
    peakRssKb: number | null;
  };
  seed: { users: number; ms: number } | null;
  /** One row per scenario: medians over the rounds (counts summed). */
  summary: ScenarioSummary[];
  /** Every measured run, round by round. */
  runs: LoadFigures[];
  skipped: Array<{ scenario: string; reason: string }>;
  /** The search scenarios' database and the plans of their statements, when they ran. */
  search: { users: number; topUpMs: number; plans: SearchPlan[] } | null;
  /** The sign-in group's figures (bench/sign-in.ts), when it ran. */
  signIn?: SignInReport | null;
  comparisons: Comparison[];
};

export type ScenarioSummary = {
  scenario: string;
  description: string;
  rounds: number;
  connections: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  serverCpuUsPerRequest: number | null;
  totalRequests: number;
  errors: number;
  non2xx: number;
  badBodies: number;
  drainMs: number;
  loadAverageBefore: number;
  badBodySample: string | null;
};

/** `throughput` compares req/s; `cpu` the same ratio computed from server CPU per request. */
export type Comparison = { label: string; throughput: number; cpu: number | null; target: string; met: boolean };

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);

export function summarize(runs: LoadFigures[]): ScenarioSummary[] {
  const names = [...new Set(runs.map((run) => run.scenario))];
  return names.map((name) => {
    const rows = runs.filter((run) => run.scenario === name);
    const cpu = rows.flatMap((row) => (row.serverCpuUsPerRequest === null ? [] : [row.serverCpuUsPerRequest]));
    return {
      scenario: name,
      description: rows[0]!.description,
      rounds: rows.length,
      connections: rows[0]!.connections,
      requestsPerSecond: median(rows.map((row) => row.requestsPerSecond)),
      p50Ms: median(rows.map((row) => row.latencyMs.p50)),
      p99Ms: median(rows.map((row) => row.latencyMs.p99)),
      serverCpuUsPerRequest: cpu.length > 0 ? median(cpu) : null,
      totalRequests: sum(rows.map((row) => row.totalRequests)),
      errors: sum(rows.map((row) => row.errors + row.timeouts)),
      non2xx: sum(rows.map((row) => row.non2xx)),
      badBodies: sum(rows.map((row) => row.badBodies)),
      drainMs: median(rows.map((row) => row.drainMs)),
      loadAverageBefore: median(rows.map((row) => row.loadAverageBefore)),
      badBodySample: rows.find((row) => row.badBodySample !== null)?.badBodySample ?? null,
    };
  });
}

/** The ratios the issues set targets for, from whichever scenarios ran. */
export function comparisons(summary: ScenarioSummary[]): Comparison[] {
  const find = (name: string) => summary.find((row) => row.scenario === name);
  // Throughput ratio a/b, and what it would be if both were bound by the server's CPU alone.
  const ratio = (a: ScenarioSummary, b: ScenarioSummary) => ({
    throughput: a.requestsPerSecond / b.requestsPerSecond,
    cpu:
      a.serverCpuUsPerRequest && b.serverCpuUsPerRequest ? b.serverCpuUsPerRequest / a.serverCpuUsPerRequest : null,
  });
  const out: Comparison[] = [];
  const unprotected = find("graphql-unprotected");
  const protectedQuery = find("graphql-protected");
  const userById = find("user-by-id");
  const v2Fields = find("user-by-id-v2-fields");
  const rest = find("rest-user-by-id");
  if (unprotected && protectedQuery) {
    const r = ratio(protectedQuery, unprotected);
    out.push({ label: "graphql-protected / graphql-unprotected", ...r, target: ">= 85%", met: r.throughput >= 0.85 });
  }
  if (unprotected && userById) {
    const r = ratio(userById, unprotected);
    out.push({ label: "user-by-id / graphql-unprotected", ...r, target: ">= 50%", met: r.throughput >= 0.5 });
  }
  if (v2Fields && rest) {
    // Extra cost per request of the REST layer over the GraphQL operation it runs: cost = 1/throughput.
    const r = ratio(v2Fields, rest);
    const extra = { throughput: r.throughput - 1, cpu: r.cpu === null ? null : r.cpu - 1 };
    out.push({
      label: "rest-user-by-id extra cost over user-by-id-v2-fields",
      ...extra,
      target: "<= 15%",
      met: extra.throughput <= 0.15,
    });
  }
  // Latency targets: p99 in ms rather than a ratio.
  for (const row of summary.filter((r) => r.scenario.startsWith("search-"))) {
    out.push({ label: `${row.scenario} p99 ${row.p99Ms} ms`, throughput: row.p99Ms, cpu: null, target: "p99 < 20 ms", met: row.p99Ms < 20 });
  }
  return out;
}

const pad = (text: string, width: number, right = false) => (right ? text.padStart(width) : text.padEnd(width));
const fixed = (value: number | null, digits = 0) => (value !== null && Number.isFinite(value) ? value.toFixed(digits) : "-");
const mib = (kb: number | null) => (kb === null || !Number.isFinite(kb) ? "-" : `${(kb / 1024).toFixed(1)} MiB`);
const percent = (value: number | null) => (value === null ? "-" : `${(value * 100).toFixed(1)}%`);

export function formatTable(report: BenchReport): string {
  const header = ["scenario", "conns", "req/s", "p50 ms", "p99 ms", "cpu µs/req", "requests", "errors", "non-2xx", "bad body", "drain ms", "load"];
  const rows = report.summary.map((r) => [
    r.scenario,
    String(r.connections),
    fixed(r.requestsPerSecond),
    fixed(r.p50Ms, 1),
    fixed(r.p99Ms, 1),
    fixed(r.serverCpuUsPerRequest),
    String(r.totalRequests),
    String(r.errors),
    String(r.non2xx),
    String(r.badBodies),
    fixed(r.drainMs),
    fixed(r.loadAverageBefore, 1),
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => pad(cell, widths[i]!, i > 0)).join("  ");
  const { settings } = report;
  const lines = [
    `usergate bench, ${report.startedAt}: ${report.database}; ${settings.connections} connections unless the conns column says otherwise, ` +
      `${settings.durationSeconds} s per scenario after ${settings.warmupSeconds} s warm-up (and a first warm-up pass over all)` +
      (settings.rounds > 1 ? `, ${settings.rounds} interleaved rounds (medians)` : "") +
      `; ${report.machine.cpus} CPU (${report.machine.cpuModel}), node ${report.machine.node}`,
    "",
    line(header),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.map(line),
    "",
    `server cold start (spawn to /readyz 200, fresh database): ${fixed(report.server.coldStartMs)} ms` +
      (report.server.restartMs !== null ? `; restart on the seeded database: ${fixed(report.server.restartMs)} ms` : ""),
    `server RSS after the run: ${mib(report.server.rssKbAfterRun)} (peak ${mib(report.server.peakRssKb)})`,
  ];
  if (report.seed) lines.push(`seeded ${report.seed.users} users with roles and scopes in ${fixed(report.seed.ms)} ms`);
  if (report.search) lines.push(`search scenarios ran on ${report.search.users} users (added in ${fixed(report.search.topUpMs)} ms)`);
  lines.push(...signInLines(report.signIn));
  for (const c of report.comparisons) {
    lines.push(
      c.target.startsWith("p99")
        ? `${c.label} (target ${c.target}: ${c.met ? "met" : "NOT met"})`
        : `${c.label}: ${percent(c.throughput)} by req/s, ${percent(c.cpu)} by server CPU per request ` +
            `(target ${c.target}: ${c.met ? "met" : "NOT met"} by req/s)`,
    );
  }
  for (const plan of report.search?.plans ?? []) {
    lines.push(
      "",
      `plan of ${plan.scenario} (${plan.search}): ${plan.sequentialScan ? "SEQUENTIAL SCAN of User" : "index access, no sequential scan of User"}`,
      ...plan.plan.map((line) => `  ${line}`),
    );
  }
  for (const skipped of report.skipped) lines.push(`skipped ${skipped.scenario}: ${skipped.reason}`);
  for (const r of report.summary) {
    if (r.badBodySample !== null) lines.push(`first bad body of ${r.scenario}: ${r.badBodySample}`);
  }
  lines.push(
    "",
    "cpu µs/req = CPU time of the gateway process per request (excludes PostgreSQL's own CPU; least affected by other load);",
    "errors = connection errors + timeouts; bad body = responses that were not a success body (includes non-2xx);",
    "drain ms = time the server stayed busy after the run ended (requests left in flight; the next run waits for it);",
    `load = the machine's 1-minute load average as the run started: above ${report.machine.cpus} other work shared the CPUs.`,
  );
  return lines.join("\n");
}

export async function writeReport(report: BenchReport, label: string): Promise<string> {
  await mkdir(resultsDirectory, { recursive: true });
  const file = path.join(resultsDirectory, `${report.startedAt.replace(/[:.]/g, "-")}-${label}.json`);
  await writeFile(file, JSON.stringify(report, null, 2) + "\n");
  return file;
}

export function machine(): BenchReport["machine"] {
  const cpus = os.cpus();
  return { cpus: cpus.length, cpuModel: cpus[0]?.model.trim() ?? "unknown", node: process.version, platform: process.platform };
}
