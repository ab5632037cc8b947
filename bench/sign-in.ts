// Password sign-ins (POST /oauth/token, grant_type=password) and what they do to the reads served
// alongside them. argon2id verification runs off the event loop, on hashing threads of lower
// CPU priority, one per core and one fewer while the event loop is busy (src/services/passwords.ts);
// the issue's target is that hashing does
// not stall reads: the p99 of a read under sign-in load at most twice its p99 on an idle server.
//
// `--only sign-in` selects the group. Per round, each phase a warm-up then --duration:
//   sign-in:idle-reads       user-by-id alone (the baseline)
//   sign-in:sign-ins         the password grant alone
//   sign-in:sign-ins+reads   the password grant while the reads run (same load, two autocannon
//   sign-in:reads+sign-ins   the reads while the sign-ins run       instances started together)
//   sign-in:refreshes        the refresh_token grant alone: chains that each signed in once
//                            refresh back to back with their newest token (bench/refresh-load.ts)
//   sign-in:paced-reads      user-by-id at a fixed rate, half what idle-reads served in round 1
//   sign-in:paced-reads+sign-ins  the same paced reads while the sign-ins run
// The first read phases saturate the event loop (a closed loop of 10 connections): their p99 is
// mostly queueing, so it grows with every CPU-millisecond sign-ins take from the reads. Paced
// reads leave headroom, as a deployment does; their p99 shows whether sign-ins stall a read.
// The application and the passwords are set up through the management API (createApplication,
// setUserPassword), so the hashes are the server's own: production argon2id parameters, fresh
// salts. Every sign-in succeeds (failures alone count towards the lockout) and they rotate over
// the users, so no lockout can trigger; a failure shows as a bad body.
import { readFileSync, readdirSync } from "node:fs";
import os from "node:os";
import { hashingConcurrency, hashingConcurrencyWhileBusy, hashingNice, hashingParameters } from "../src/services/passwords.js";
import { runLoad, type LoadFigures, type LoadSettings, type ServerGauge } from "./load.js";
import { runPaced } from "./paced-load.js";
import { RefreshChains } from "./refresh-load.js";
import { probe, userByIdScenario, type Scenario, type ScenarioContext } from "./scenarios.js";
import type { ServerProcess } from "./server-process.js";

/** The name `--only` selects the group by. */
export const signInGroup = "sign-in";

export const signInSelected = (only: string[] | null) => only === null || only.includes(signInGroup);

/** Users given a password (the first seeded ones); sign-ins rotate over them. */
const signInUsers = 200;
/** Fixed, whatever --connections says: a moderate read load, and sign-ins well above the hashing slots. */
const readConnections = 10;
const signInConnections = 16;
/** Refresh chains, each a signed-in user refreshing back to back: as many as sign-in connections. */
const refreshChains = signInConnections;
const signInScope = "openid offline_access";
/** The API bench/seed.ts creates; the seeded users hold roles on it. */
const signInAudience = "https://bench.usergate.test/api";
/** The target: read p99 under sign-in load at most this many times the idle read p99. */
const maxReadP99Ratio = 2;
/** Paced reads run at this share of what the saturating idle reads served. */
const pacedShare = 0.5;

const names = {
  idleReads: "sign-in:idle-reads",
  signIns: "sign-in:sign-ins",
  signInsWithReads: "sign-in:sign-ins+reads",
  readsWithSignIns: "sign-in:reads+sign-ins",
  refreshes: "sign-in:refreshes",
  pacedReads: "sign-in:paced-reads",
  signInsWithPacedReads: "sign-in:sign-ins+paced-reads",
  pacedReadsWithSignIns: "sign-in:paced-reads+sign-ins",
} as const;

type SignInSetup = {
  clientId: string;
  clientSecret: string;
  users: Array<{ username: string; password: string }>;
  ms: number;
};

/** Machine, bench-process and gateway-thread gauges over one measured phase. */
export type PhaseGauges = {
  phase: "idle-reads" | "sign-ins" | "sign-ins+reads" | "refreshes" | "paced-reads" | "sign-ins+paced-reads";
  round: number;
  seconds: number;
  /** 1-minute load average: as the phase started, and the highest and mean of 1 s samples during it. */
  loadAverage: { before: number; max: number; mean: number };
  /** Busy CPUs of the whole machine (all processes: gateway, PostgreSQL, bench, anyone else's tests). */
  machineBusyCores: number;
  /** CPUs the gateway used: its main thread (event loop: JS, Prisma's query compiler, PGlite) and all other threads (argon2 hashing threads, libuv pool: WebCrypto; V8 helpers). */
  gateway: {
    mainThreadCores: number;
    otherThreadsCores: number;
    cpuMs: number;
    /** Share of the phase the main thread spent runnable but waiting for a CPU (the OS run queue), null when unknown. */
    mainThreadRunQueueWait: number | null;
  };
  /** CPUs this process (autocannon) used: latencies include its own queueing when it is starved. */
  benchCores: number;
};

export type SignInReport = {
  users: number;
  setupMs: number;
  hashing: {
    algorithm: "argon2id";
    memoryCostKiB: number;
    timeCost: number;
    parallelism: number;
    gatewaySlots: number;
    gatewaySlotsWhileBusy: number;
    gatewayNice: number;
  };
  signInRequest: string;
  readRequest: string;
  readConnections: number;
  signInConnections: number;
  /** Medians over the rounds. */
  idleReads: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
  signInsAlone: { perSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; badBodies: number };
  /** The refresh_token grant alone (medians), and the gateway's CPU per refresh. */
  refreshesAlone: { chains: number; perSecond: number; p50Ms: number; p99Ms: number; cpuUsPerRefresh: number | null; errors: number; badBodies: number };
  signInsWithReads: { perSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; badBodies: number };
  readsWithSignIns: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; badBodies: number };
  /** Read p99 under sign-ins / idle read p99 (medians of the rounds). */
  readP99Ratio: number;
  targetRatio: number;
  met: boolean;
  /** The same comparison with reads at a fixed rate (medians of the rounds). */
  paced: {
    ratePerSecond: number;
    idle: { requestsPerSecond: number; p50Ms: number; p99Ms: number };
    underSignIns: { requestsPerSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; badBodies: number };
    signIns: { perSecond: number; p50Ms: number; p99Ms: number; errors: number; non2xx: number; badBodies: number };
    readP99Ratio: number;
    met: boolean;
  };
  gauges: PhaseGauges[];
};

/** The figures and the runs (one row per scenario and round) to add to the report's table. */
export type SignInResult = { runs: LoadFigures[]; report: SignInReport };

async function graphql<T>(baseUrl: string, token: string, query: string, variables: Record<string, unknown>): Promise<T> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json", authorization: `Bearer ${token}` },
    body: JSON.stringify({ query, variables }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  const body = JSON.parse(text) as { data?: T; errors?: unknown };
  if (response.status !== 200 || body.errors || !body.data) throw new Error(`POST /graphql answered ${response.status}: ${text.slice(0, 400)}`);
  return body.data;
}

type ErrorMember = { __typename: string; message?: string };
const refused = (what: string, result: ErrorMember) => new Error(`${what}: ${result.__typename} ${result.message ?? ""}`);

/** A web application allowed the password grant, and a password for each of the first users. */
async function setUp(baseUrl: string, context: ScenarioContext): Promise<SignInSetup> {
  const started = performance.now();
  const { createApplication } = await graphql<{
    createApplication: ErrorMember & { application?: { clientId: string; grantTypes: string[] }; clientSecret?: string | null };
  }>(
    baseUrl,
    context.token,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { __typename
       ... on ApplicationSecretPayload { application { clientId grantTypes } clientSecret } ... on Error { message } } }`,
    { input: { name: "Bench first-party app", type: "web", grantTypes: ["password", "refresh_token"] } },
  );
  if (!createApplication.application || !createApplication.clientSecret) throw refused("createApplication", createApplication);

  const ids = context.userIds.slice(0, signInUsers);
  const users: SignInSetup["users"] = new Array(ids.length);
  let next = 0;
  // A few at a time: the server hashes each (its hashing slots queue the rest anyway).
  const worker = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const password = `bench-password-${i}-${"x".repeat(8)}`;
      const { setUserPassword } = await graphql<{ setUserPassword: ErrorMember & { user?: { email: string | null; status: string; hasPassword: boolean } } }>(
        baseUrl,
        context.token,
        `mutation($input: SetUserPasswordInput!) { setUserPassword(input: $input) { __typename
           ... on UserPayload { user { email status hasPassword } } ... on Error { message } } }`,
        { input: { id: ids[i], password } },
      );
      const user = setUserPassword.user;
      if (!user) throw refused(`setUserPassword(${ids[i]})`, setUserPassword);
      if (!user.email || !user.hasPassword || user.status !== "active") {
        throw new Error(`seeded user ${ids[i]} cannot sign in: ${JSON.stringify(user)}`);
      }
      users[i] = { username: user.email, password };
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return {
    clientId: createApplication.application.clientId,
    clientSecret: createApplication.clientSecret,
    users,
    ms: performance.now() - started,
  };
}

function signInScenario(setup: SignInSetup, name: string, description: string): Scenario {
  const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  return {
    name,
    description,
    rotating: true,
    connections: signInConnections,
    request: (n) => {
      const user = setup.users[n % setup.users.length]!;
      return {
        method: "POST",
        path: "/oauth/token",
        headers,
        body: new URLSearchParams({
          grant_type: "password",
          client_id: setup.clientId,
          client_secret: setup.clientSecret,
          username: user.username,
          password: user.password,
          scope: signInScope,
          audience: signInAudience,
        }).toString(),
      };
    },
    // openid: an ID token; offline_access with the refresh_token grant: a refresh token.
    verifyBody: (body) => body.includes('"access_token"') && body.includes('"id_token"') && body.includes('"refresh_token"'),
  };
}

function readScenario(context: ScenarioContext, name: string, description: string): Scenario {
  return { ...userByIdScenario(context), name, description, connections: readConnections };
}

// Gauges read from /proc (Linux); null-safe elsewhere.

function machineTicks(): { total: number; idle: number } | null {
  try {
    const fields = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already in user)
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    return { total, idle: fields[3]! + fields[4]! };
  } catch {
    return null;
  }
}

/**
 * CPU ticks of the gateway's main thread (its event loop) and of the whole process, and how long
 * the main thread has waited, runnable, for a CPU (schedstat's run delay, ns; null without schedstats).
 */
function gatewayTicks(pid: number): { main: number; total: number; mainWaitNs: number | null } | null {
  const ticks = (file: string) => {
    const stat = readFileSync(file, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[11]) + Number(fields[12]);
  };
  try {
    let mainWaitNs: number | null = null;
    try {
      const [runNs, waitNs] = readFileSync(`/proc/${pid}/task/${pid}/schedstat`, "utf8").trim().split(/\s+/).map(Number);
      mainWaitNs = runNs! > 0 ? waitNs! : null; // all zeros: the kernel keeps no schedstats
    } catch {
      // no schedstat file
    }
    return { main: ticks(`/proc/${pid}/task/${pid}/stat`), total: ticks(`/proc/${pid}/stat`), mainWaitNs };
  } catch {
    return null;
  }
}

/** Threads of the gateway right now (for the report). */
export function gatewayThreadCount(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return null;
  }
}

const msPerTick = 10;

function startGauges(pid: number, phase: PhaseGauges["phase"], round: number): () => PhaseGauges {
  const started = performance.now();
  const machine = machineTicks();
  const gateway = gatewayTicks(pid);
  const bench = process.cpuUsage();
  const loads = [os.loadavg()[0]!];
  const timer = setInterval(() => loads.push(os.loadavg()[0]!), 1_000);
  return () => {
    clearInterval(timer);
    const elapsedMs = performance.now() - started;
    const machineAfter = machineTicks();
    const gatewayAfter = gatewayTicks(pid);
    const benchUsed = process.cpuUsage(bench);
    const cores = (ticks: number) => (ticks * msPerTick) / elapsedMs;
    const machineBusyCores =
      machine && machineAfter
        ? (1 - (machineAfter.idle - machine.idle) / Math.max(1, machineAfter.total - machine.total)) * os.cpus().length
        : NaN;
    const main = gateway && gatewayAfter ? gatewayAfter.main - gateway.main : NaN;
    const total = gateway && gatewayAfter ? gatewayAfter.total - gateway.total : NaN;
    return {
      phase,
      round,
      seconds: elapsedMs / 1000,
      loadAverage: { before: loads[0]!, max: Math.max(...loads), mean: loads.reduce((a, b) => a + b, 0) / loads.length },
      machineBusyCores,
      gateway: {
        mainThreadCores: cores(main),
        otherThreadsCores: cores(total - main),
        cpuMs: total * msPerTick,
        mainThreadRunQueueWait:
          gateway?.mainWaitNs != null && gatewayAfter?.mainWaitNs != null ? (gatewayAfter.mainWaitNs - gateway.mainWaitNs) / 1e6 / elapsedMs : null,
      },
      benchCores: (benchUsed.user + benchUsed.system) / 1000 / elapsedMs,
    };
  };
}

/** Nothing to wait for: the phase settles the server itself, before and after all its loads. */
const unsettled: ServerGauge = { settle: async () => 0, cpuMs: () => null };

/** A scenario of a phase: a closed loop (autocannon), paced at a fixed rate, or refresh chains. */
type PhaseLoad = { scenario: Scenario; ratePerSecond?: number } | { refreshes: RefreshChains; name: string; description: string };

/**
 * One phase: its scenarios warmed up together, the server settled, then all loaded at once for
 * --duration. The gateway's CPU per request is filled in for a single scenario only (together,
 * the two share it); drain is the time the server stayed busy after the loads ended.
 */
async function phase(
  server: ServerProcess,
  loads: PhaseLoad[],
  settings: LoadSettings,
  label: PhaseGauges["phase"],
  round: number,
): Promise<{ runs: LoadFigures[]; gauges: PhaseGauges }> {
  const run = (load: PhaseLoad, durationSeconds: number) =>
    "refreshes" in load
      ? load.refreshes.run(load.name, load.description, durationSeconds, round)
      : load.ratePerSecond
        ? runPaced(server.baseUrl, load.scenario, { ratePerSecond: load.ratePerSecond, durationSeconds }, round)
        : runLoad(server.baseUrl, load.scenario, { ...settings, durationSeconds, warmupSeconds: 0 }, unsettled, round);
  if (settings.warmupSeconds > 0) {
    await server.settle();
    await Promise.all(loads.map((load) => run(load, settings.warmupSeconds)));
  }
  await server.settle();
  const cpuBefore = server.cpuMs();
  const stop = startGauges(server.pid, label, round);
  const runs = await Promise.all(loads.map((load) => run(load, settings.durationSeconds)));
  const gauges = stop();
  const drainMs = await server.settle();
  const cpuAfter = server.cpuMs();
  for (const run of runs) run.drainMs = drainMs;
  if (runs.length === 1 && cpuBefore !== null && cpuAfter !== null && runs[0]!.totalRequests > 0) {
    runs[0]!.serverCpuUsPerRequest = ((cpuAfter - cpuBefore) * 1000) / runs[0]!.totalRequests;
  }
  return { runs, gauges };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};

function figuresOf(runs: LoadFigures[], name: string) {
  const rows = runs.filter((run) => run.scenario === name);
  const sum = (pick: (run: LoadFigures) => number) => rows.reduce((total, run) => total + pick(run), 0);
  return {
    requestsPerSecond: median(rows.map((run) => run.requestsPerSecond)),
    p50Ms: median(rows.map((run) => run.latencyMs.p50)),
    p99Ms: median(rows.map((run) => run.latencyMs.p99)),
    errors: sum((run) => run.errors + run.timeouts),
    non2xx: sum((run) => run.non2xx),
    badBodies: sum((run) => run.badBodies),
  };
}

/** Sets up the application and passwords, then runs the three phases --rounds times. */
export async function runSignInGroup(server: ServerProcess, context: ScenarioContext, settings: LoadSettings): Promise<SignInResult> {
  process.stderr.write(`bench: sign-in: creating an application and ${Math.min(signInUsers, context.userIds.length)} passwords\n`);
  const setup = await setUp(server.baseUrl, context);
  const readDescription = `user-by-id, ${readConnections} connections`;
  const signInDescription = `POST /oauth/token password grant (scope "${signInScope}"), ${signInConnections} connections, rotating over ${setup.users.length} users`;
  const idleReads = readScenario(context, names.idleReads, `${readDescription}, nothing else`);
  const signIns = signInScenario(setup, names.signIns, `${signInDescription}, nothing else`);
  const signInsWithReads = signInScenario(setup, names.signInsWithReads, `${signInDescription}, while ${names.readsWithSignIns} runs`);
  const readsWithSignIns = readScenario(context, names.readsWithSignIns, `${readDescription}, while ${names.signInsWithReads} runs`);
  const pacedDescription = "user-by-id at a fixed rate";
  const pacedReads = readScenario(context, names.pacedReads, `${pacedDescription}, nothing else`);
  const signInsWithPacedReads = signInScenario(setup, names.signInsWithPacedReads, `${signInDescription}, while ${names.pacedReadsWithSignIns} runs`);
  const pacedReadsWithSignIns = readScenario(context, names.pacedReadsWithSignIns, `${pacedDescription}, while ${names.signInsWithPacedReads} runs`);
  for (const scenario of [idleReads, signIns]) {
    const probed = await probe(server.baseUrl, scenario);
    if (!probed.ok) throw new Error(`${scenario.name} failed its probe: ${probed.status} ${probed.body}`);
  }

  const runs: LoadFigures[] = [];
  const gauges: PhaseGauges[] = [];
  const note = (round: number, what: string, seconds: number) =>
    process.stderr.write(
      `bench: ${settings.rounds > 1 ? `round ${round}/${settings.rounds}, ` : ""}${what} ` +
        `(${settings.warmupSeconds} s warm-up + ${seconds} s)\n`,
    );
  // Users the sign-in phases do not rotate over would do, but every user is fine: sign-ins
  // start sessions of their own and never touch a chain's refresh token.
  const chains = await RefreshChains.signIn(server.baseUrl, setup, setup.users.slice(0, refreshChains), signInAudience);
  const refreshes = {
    refreshes: chains,
    name: names.refreshes,
    description: `POST /oauth/token refresh_token grant, ${refreshChains} chains each refreshing with its newest token`,
  };
  let pacedRate = 0;
  for (let round = 1; round <= settings.rounds; round++) {
    note(round, names.idleReads, settings.durationSeconds);
    const a = await phase(server, [{ scenario: idleReads }], settings, "idle-reads", round);
    note(round, names.signIns, settings.durationSeconds);
    const b = await phase(server, [{ scenario: signIns }], settings, "sign-ins", round);
    note(round, `${names.signInsWithReads} and ${names.readsWithSignIns} together`, settings.durationSeconds);
    const c = await phase(server, [{ scenario: signInsWithReads }, { scenario: readsWithSignIns }], settings, "sign-ins+reads", round);
    note(round, names.refreshes, settings.durationSeconds);
    const r = await phase(server, [refreshes], settings, "refreshes", round);
    // One rate for all rounds, so that their figures compare.
    pacedRate ||= Math.max(1, Math.round(a.runs[0]!.requestsPerSecond * pacedShare));
    note(round, `${names.pacedReads} at ${pacedRate}/s`, settings.durationSeconds);
    const d = await phase(server, [{ scenario: pacedReads, ratePerSecond: pacedRate }], settings, "paced-reads", round);
    note(round, `${names.signInsWithPacedReads} and ${names.pacedReadsWithSignIns} together`, settings.durationSeconds);
    const e = await phase(
      server,
      [{ scenario: signInsWithPacedReads }, { scenario: pacedReadsWithSignIns, ratePerSecond: pacedRate }],
      settings,
      "sign-ins+paced-reads",
      round,
    );
    runs.push(...a.runs, ...b.runs, ...c.runs, ...r.runs, ...d.runs, ...e.runs);
    gauges.push(a.gauges, b.gauges, c.gauges, r.gauges, d.gauges, e.gauges);
  }

  const idle = figuresOf(runs, names.idleReads);
  const alone = figuresOf(runs, names.signIns);
  const together = figuresOf(runs, names.signInsWithReads);
  const busy = figuresOf(runs, names.readsWithSignIns);
  const ratio = busy.p99Ms / idle.p99Ms;
  const refreshRuns = runs.filter((run) => run.scenario === names.refreshes);
  const refreshFigures = figuresOf(runs, names.refreshes);
  const refreshCpu = refreshRuns.flatMap((run) => (run.serverCpuUsPerRequest === null ? [] : [run.serverCpuUsPerRequest]));
  const pacedIdle = figuresOf(runs, names.pacedReads);
  const pacedBusy = figuresOf(runs, names.pacedReadsWithSignIns);
  const pacedRatio = pacedBusy.p99Ms / pacedIdle.p99Ms;
  const signInFigures = (f: typeof alone) => ({
    perSecond: f.requestsPerSecond,
    p50Ms: f.p50Ms,
    p99Ms: f.p99Ms,
    errors: f.errors,
    non2xx: f.non2xx,
    badBodies: f.badBodies,
  });
  return {
    runs,
    report: {
      users: setup.users.length,
      setupMs: setup.ms,
      hashing: {
        algorithm: "argon2id",
        memoryCostKiB: hashingParameters.memoryCost,
        timeCost: hashingParameters.timeCost,
        parallelism: hashingParameters.parallelism,
        gatewaySlots: hashingConcurrency(),
        gatewaySlotsWhileBusy: hashingConcurrencyWhileBusy(),
        gatewayNice: hashingNice,
      },
      signInRequest: signInDescription,
      readRequest: readDescription,
      readConnections,
      signInConnections,
      idleReads: { requestsPerSecond: idle.requestsPerSecond, p50Ms: idle.p50Ms, p99Ms: idle.p99Ms },
      signInsAlone: signInFigures(alone),
      refreshesAlone: {
        chains: refreshChains,
        perSecond: refreshFigures.requestsPerSecond,
        p50Ms: refreshFigures.p50Ms,
        p99Ms: refreshFigures.p99Ms,
        cpuUsPerRefresh: refreshCpu.length > 0 ? median(refreshCpu) : null,
        errors: refreshFigures.errors,
        badBodies: refreshFigures.badBodies,
      },
      signInsWithReads: signInFigures(together),
      readsWithSignIns: busy,
      readP99Ratio: ratio,
      targetRatio: maxReadP99Ratio,
      met: Number.isFinite(ratio) && ratio <= maxReadP99Ratio,
      paced: {
        ratePerSecond: pacedRate,
        idle: { requestsPerSecond: pacedIdle.requestsPerSecond, p50Ms: pacedIdle.p50Ms, p99Ms: pacedIdle.p99Ms },
        underSignIns: pacedBusy,
        signIns: signInFigures(figuresOf(runs, names.signInsWithPacedReads)),
        readP99Ratio: pacedRatio,
        met: Number.isFinite(pacedRatio) && pacedRatio <= maxReadP99Ratio,
      },
      gauges,
    },
  };
}

/** The group's target, in the shape of bench/report.ts's comparisons (a p99 target: printed as label and verdict). */
export function signInComparisons(report: SignInReport | null | undefined) {
  if (!report) return [];
  return [
    {
      label:
        `sign-in: read p99 under sign-ins ${report.readsWithSignIns.p99Ms} ms / idle ${report.idleReads.p99Ms} ms = ` +
        `${report.readP99Ratio.toFixed(2)}× (with ${report.signInsWithReads.perSecond.toFixed(1)} sign-ins/s)`,
      throughput: report.readP99Ratio,
      cpu: null,
      target: `p99 of reads under sign-ins <= ${report.targetRatio}× idle`,
      met: report.met,
    },
    {
      label:
        `sign-in: paced read p99 (${report.paced.ratePerSecond}/s) under sign-ins ${report.paced.underSignIns.p99Ms} ms / idle ` +
        `${report.paced.idle.p99Ms} ms = ${report.paced.readP99Ratio.toFixed(2)}× (with ${report.paced.signIns.perSecond.toFixed(1)} sign-ins/s)`,
      throughput: report.paced.readP99Ratio,
      cpu: null,
      target: `p99 of paced reads under sign-ins <= ${report.targetRatio}× idle`,
      met: report.paced.met,
    },
  ];
}

const fixed = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

/** Lines for the printed report. */
export function signInLines(report: SignInReport | null | undefined): string[] {
  if (!report) return [];
  const h = report.hashing;
  const lines = [
    "",
    `sign-in: ${report.users} users with argon2id passwords set through setUserPassword (m=${h.memoryCostKiB} KiB, t=${h.timeCost}, ` +
      `p=${h.parallelism}; the gateway hashes ${h.gatewaySlots} at a time, ${h.gatewaySlotsWhileBusy} while its event loop is busy, at nice ${h.gatewayNice}), set up in ${fixed(report.setupMs)} ms`,
    `  sign-ins/s alone: ${fixed(report.signInsAlone.perSecond, 1)} (p50 ${report.signInsAlone.p50Ms} ms, p99 ${report.signInsAlone.p99Ms} ms); ` +
      `with the reads running: ${fixed(report.signInsWithReads.perSecond, 1)} (p50 ${report.signInsWithReads.p50Ms} ms, p99 ${report.signInsWithReads.p99Ms} ms)`,
    `  refreshes/s alone (${report.refreshesAlone.chains} chains): ${fixed(report.refreshesAlone.perSecond, 1)} ` +
      `(p50 ${report.refreshesAlone.p50Ms} ms, p99 ${report.refreshesAlone.p99Ms} ms, gateway CPU ${fixed(report.refreshesAlone.cpuUsPerRefresh ?? NaN)} µs per refresh)`,
    `  reads (${report.readRequest}): idle ${fixed(report.idleReads.requestsPerSecond)} req/s, p50 ${report.idleReads.p50Ms} ms, ` +
      `p99 ${report.idleReads.p99Ms} ms; under sign-ins ${fixed(report.readsWithSignIns.requestsPerSecond)} req/s, ` +
      `p50 ${report.readsWithSignIns.p50Ms} ms, p99 ${report.readsWithSignIns.p99Ms} ms`,
    `  paced reads (${report.paced.ratePerSecond}/s, half what the idle reads served): idle p50 ${report.paced.idle.p50Ms} ms, ` +
      `p99 ${report.paced.idle.p99Ms} ms; under sign-ins ${fixed(report.paced.underSignIns.requestsPerSecond)} req/s, ` +
      `p50 ${report.paced.underSignIns.p50Ms} ms, p99 ${report.paced.underSignIns.p99Ms} ms, with ${fixed(report.paced.signIns.perSecond, 1)} sign-ins/s ` +
      `(p99 ${report.paced.signIns.p99Ms} ms)`,
    "  phase gauges (CPUs busy; load = 1-minute load average before / max / mean during the phase):",
  ];
  for (const g of report.gauges) {
    lines.push(
      `    round ${g.round} ${g.phase.padEnd(20)} machine ${fixed(g.machineBusyCores, 2)}, gateway event loop ${fixed(g.gateway.mainThreadCores, 2)} ` +
        `+ other threads ${fixed(g.gateway.otherThreadsCores, 2)}, bench ${fixed(g.benchCores, 2)}; ` +
        `event loop waited for a CPU ${g.gateway.mainThreadRunQueueWait === null ? "-" : `${(g.gateway.mainThreadRunQueueWait * 100).toFixed(0)}%`} of the time; ` +
        `load ${fixed(g.loadAverage.before, 2)} / ${fixed(g.loadAverage.max, 2)} / ${fixed(g.loadAverage.mean, 2)}`,
    );
  }
  return lines;
}
