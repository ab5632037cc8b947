// `npm run bench [-- --pglite] [--duration 10] [--connections 50] [--warmup 2] [--rounds 1]
//                  [--only token,user-by-id]`
//
// Starts the real gateway as a child process on a database of its own (a fresh
// usergate_bench_<random> database on BENCH_DATABASE_URL's server, or a temporary PGlite data
// directory with --pglite), seeds users when the schema can serve them, loads each scenario from
// this process with autocannon, prints one table, writes the figures as JSON under
// /tmp/usergate-bench/, and removes the database and the server again.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { runLoad, warmUp, type LoadFigures, type LoadSettings } from "./load.js";
import { comparisons, formatTable, machine, summarize, writeReport, type BenchReport } from "./report.js";
import {
  authScenarios,
  probe,
  restUserByIdScenario,
  schemaCapabilities,
  tokenScenario,
  userByIdScenario,
  userByIdV2FieldsScenario,
  usersFirst50Scenario,
  type Scenario,
  type ScenarioContext,
} from "./scenarios.js";
import { explainSearches, searchKinds, searchScenario, searchUserCount, topUpUsers, type SearchPlan } from "./search.js";
import { defaultSeedPlan, pgliteRunner, postgresRunner, seedBenchData, type SeedResult } from "./seed.js";
import { runSignInGroup, signInComparisons, signInSelected } from "./sign-in.js";
import { killRunningServers, startServer, type ServerProcess } from "./server-process.js";

const defaultDatabaseUrl = "postgres://postgres@127.0.0.1:5432/postgres";

const benchClient = {
  clientId: "bench-admin-client",
  clientSecret: "bench-admin-secret-0123456789abcdefghijklmnopqrstuv",
};

type Target = { kind: "postgres"; serverUrl: string; databaseUrl: string; name: string } | { kind: "pglite"; dataDir: string };

// Undone in reverse order at the end, on failure, and on Ctrl-C.
const cleanups: Array<() => Promise<void>> = [];
async function cleanUp(): Promise<void> {
  while (cleanups.length > 0) {
    const step = cleanups.pop()!;
    await step().catch((error) => process.stderr.write(`bench: clean-up step failed: ${String(error)}\n`));
  }
}
let interrupted = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    interrupted = true;
    process.stderr.write(`\nbench: ${signal}, cleaning up\n`);
    void cleanUp().finally(() => process.exit(130));
  });
}
process.on("exit", killRunningServers);

function parseFlags(): { pglite: boolean; only: string[] | null; settings: LoadSettings } {
  const { values } = parseArgs({
    options: {
      pglite: { type: "boolean", default: false },
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "50" },
      warmup: { type: "string", default: "2" },
      only: { type: "string" },
      rounds: { type: "string", default: "1" },
    },
    strict: true,
  });
  const positive = (name: string, raw: string, allowZero = false) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new Error(`--${name} must be a ${allowZero ? "non-negative" : "positive"} number (got ${raw})`);
    }
    return value;
  };
  return {
    pglite: values.pglite,
    only: values.only ? values.only.split(",").map((name) => name.trim()) : null,
    settings: {
      durationSeconds: positive("duration", values.duration),
      connections: Math.round(positive("connections", values.connections)),
      warmupSeconds: positive("warmup", values.warmup, true),
      rounds: Math.round(positive("rounds", values.rounds)),
    },
  };
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function createTarget(pglite: boolean): Promise<Target> {
  if (!pglite) {
    const serverUrl = process.env.BENCH_DATABASE_URL || defaultDatabaseUrl;
    if (await reachable(serverUrl)) {
      const name = `usergate_bench_${randomBytes(5).toString("hex")}`;
      const admin = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
      await admin.connect();
      try {
        await admin.query(`CREATE DATABASE "${name}"`);
      } finally {
        await admin.end();
      }
      cleanups.push(async () => {
        const dropper = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 5_000 });
        await dropper.connect();
        try {
          await dropper.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        } finally {
          await dropper.end();
        }
      });
      const databaseUrl = new URL(serverUrl);
      databaseUrl.pathname = `/${name}`;
      return { kind: "postgres", serverUrl, databaseUrl: databaseUrl.toString(), name };
    }
    if (process.env.BENCH_DATABASE_URL) throw new Error(`BENCH_DATABASE_URL is not reachable: ${redact(serverUrl)}`);
    process.stderr.write(`bench: PostgreSQL at ${redact(serverUrl)} is not reachable; using PGlite instead\n`);
  }
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "usergate-bench-"));
  cleanups.push(() => rm(dataDir, { recursive: true, force: true }));
  return { kind: "pglite", dataDir };
}

const redact = (url: string) => url.replace(/^([^:/?#]+:\/\/[^:/@]*):[^@/]*@/, "$1:***@");

function serverEnv(target: Target): Record<string, string> {
  return {
    ...(target.kind === "postgres" ? { DATABASE_URL: target.databaseUrl } : { DATA_DIR: target.dataDir }),
    USERGATE_BOOTSTRAP_CLIENT_ID: benchClient.clientId,
    USERGATE_BOOTSTRAP_CLIENT_SECRET: benchClient.clientSecret,
    // Limits high enough never to refuse, so that the REST route still pays for counting.
    RATE_LIMIT_USERS_LIST: "1000000",
    RATE_LIMIT_USERS_CREATE: "1000000",
    RATE_LIMIT_USERS_UPDATE: "1000000",
    RATE_LIMIT_ROLE_OPERATIONS: "1000000",
  };
}

async function launch(target: Target): Promise<ServerProcess> {
  const server = await startServer(serverEnv(target));
  cleanups.push(async () => {
    const code = await server.stop();
    if (code !== 0) process.stderr.write(`bench: the gateway exited with ${code}; its output:\n${server.output().slice(-4_000)}\n`);
  });
  return server;
}

async function fetchToken(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/oauth/token`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ grant_type: "client_credentials", ...toParams(benchClient) }).toString(),
  });
  const body = (await response.json().catch(() => ({}))) as { access_token?: string };
  if (response.status !== 200 || !body.access_token) {
    throw new Error(`POST /oauth/token answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body.access_token;
}

const toParams = (client: typeof benchClient) => ({ client_id: client.clientId, client_secret: client.clientSecret });

/** One warm-up pass over all scenarios, then the measured rounds. */
async function measure(scenarios: Scenario[], server: ServerProcess, settings: LoadSettings): Promise<LoadFigures[]> {
  // The server's first minutes are not its steady state.
  for (const scenario of scenarios) {
    process.stderr.write(`bench: warming up with ${scenario.name} (${settings.warmupSeconds} s)\n`);
    await warmUp(server.baseUrl, scenario, settings, server);
  }
  // Rounds interleave the scenarios, so that a burst of other work on the machine spreads over all of them.
  const runs: LoadFigures[] = [];
  for (let round = 1; round <= settings.rounds; round++) {
    for (const scenario of scenarios) {
      process.stderr.write(
        `bench: ${settings.rounds > 1 ? `round ${round}/${settings.rounds}, ` : ""}${scenario.name} ` +
          `(${settings.warmupSeconds} s warm-up + ${settings.durationSeconds} s)\n`,
      );
      runs.push(await runLoad(server.baseUrl, scenario, settings, server, round));
    }
  }
  return runs;
}

async function main(): Promise<number> {
  const { pglite, only, settings } = parseFlags();
  const startedAt = new Date().toISOString();
  const target = await createTarget(pglite);
  const databaseLabel =
    target.kind === "postgres" ? `PostgreSQL (${target.name} on ${redact(target.serverUrl)})` : `PGlite (${target.dataDir})`;
  process.stderr.write(`bench: ${databaseLabel}\n`);

  let server = await launch(target);
  const coldStartMs = server.readyMs;
  process.stderr.write(`bench: gateway pid ${server.pid} ready in ${Math.round(coldStartMs)} ms at ${server.baseUrl}\n`);

  const capabilities = await schemaCapabilities();
  let seed: SeedResult | null = null;
  let restartMs: number | null = null;
  if (capabilities.userById || capabilities.usersConnection) {
    process.stderr.write(`bench: seeding ${defaultSeedPlan.users} users\n`);
    if (target.kind === "postgres") {
      const sql = await postgresRunner(target.databaseUrl);
      seed = await seedBenchData(sql).finally(() => sql.close());
    } else {
      // PGlite admits one process per data directory: seed while the server is stopped.
      await cleanups.pop()!();
      const sql = await pgliteRunner(target.dataDir);
      seed = await seedBenchData(sql).finally(() => sql.close());
      server = await launch(target);
      restartMs = server.readyMs;
    }
  }

  const context: ScenarioContext = {
    token: await fetchToken(server.baseUrl),
    ...benchClient,
    userIds: seed?.userIds ?? [],
  };
  const skipped: BenchReport["skipped"] = [];
  const scenarios: Scenario[] = [tokenScenario(context), ...authScenarios(context)];
  if (capabilities.userById && context.userIds.length > 0) {
    scenarios.push(userByIdScenario(context));
    const rest = restUserByIdScenario(context);
    const restProbe = await probe(server.baseUrl, rest);
    if (restProbe.ok) {
      scenarios.push(userByIdV2FieldsScenario(context), rest);
    } else {
      skipped.push({
        scenario: rest.name,
        reason: `GET /api/v2/users/{id} for a seeded user answered ${restProbe.status} ${restProbe.body}`,
      });
    }
  } else {
    skipped.push({ scenario: "user-by-id", reason: "schema.graphql has no user(id:) query" });
    skipped.push({ scenario: "rest-user-by-id", reason: "needs user-by-id to compare with" });
  }
  if (capabilities.usersConnection && context.userIds.length > 0) scenarios.push(usersFirst50Scenario(context));
  else skipped.push({ scenario: "users-first-50", reason: "schema.graphql has no users( connection" });

  let failures = 0;
  const runnable: Scenario[] = [];
  for (const scenario of scenarios) {
    if (only && !only.includes(scenario.name)) continue;
    const probed = await probe(server.baseUrl, scenario);
    if (probed.ok) {
      runnable.push(scenario);
    } else {
      failures++;
      skipped.push({ scenario: scenario.name, reason: `FAILED its probe: ${probed.status} ${probed.body}` });
    }
  }
  const runs = await measure(runnable, server, settings);

  // Password sign-ins and reads alongside them (bench/sign-in.ts), on the seeded users.
  let signIn: BenchReport["signIn"] = null;
  if (signInSelected(only) && capabilities.userById && context.userIds.length > 0) {
    const group = await runSignInGroup(server, context, settings);
    runs.push(...group.runs);
    signIn = group.report;
  } else if (signInSelected(only)) {
    skipped.push({ scenario: "sign-in", reason: "needs the seeded users and the user(id:) query" });
  }

  // Search runs last, on the same database topped up to 100,000 users.
  const searches = searchKinds(searchUserCount).filter((kind) => !only || only.includes(kind.name));
  let search: BenchReport["search"] = null;
  if (searches.length > 0 && seed && capabilities.usersConnection) {
    process.stderr.write(`bench: adding users up to ${searchUserCount} for the search scenarios\n`);
    const existing = seed.userIds.length;
    let topUpMs: number;
    let plans: SearchPlan[];
    if (target.kind === "postgres") {
      const sql = await postgresRunner(target.databaseUrl);
      try {
        topUpMs = await topUpUsers(sql, seed.realmId, existing, searchUserCount);
        plans = await explainSearches(sql, seed.realmId, searches);
      } finally {
        await sql.close();
      }
    } else {
      await cleanups.pop()!(); // PGlite: one process per data directory
      const sql = await pgliteRunner(target.dataDir);
      try {
        topUpMs = await topUpUsers(sql, seed.realmId, existing, searchUserCount);
        plans = await explainSearches(sql, seed.realmId, searches);
      } finally {
        await sql.close();
      }
      server = await launch(target);
      context.token = await fetchToken(server.baseUrl); // the issuer changed with the port
    }
    search = { users: searchUserCount, topUpMs, plans };
    const searchScenarios = searches.map((kind) => searchScenario(kind, context.token));
    for (const scenario of searchScenarios) {
      const probed = await probe(server.baseUrl, scenario);
      if (!probed.ok) throw new Error(`${scenario.name} failed its probe: ${probed.status} ${probed.body}`);
    }
    runs.push(...(await measure(searchScenarios, server, settings)));
  } else if (searches.length > 0) {
    skipped.push({ scenario: "search-*", reason: "needs the seeded users and the users( connection" });
  }

  const memory = server.memory();
  const summary = summarize(runs);
  await cleanups.pop()!(); // stops the server
  const report: BenchReport = {
    startedAt,
    database: target.kind === "postgres" ? "PostgreSQL" : "PGlite",
    settings,
    machine: machine(),
    server: {
      pid: server.pid,
      coldStartMs,
      restartMs,
      rssKbAfterRun: memory?.rssKb ?? null,
      peakRssKb: memory?.peakRssKb ?? null,
    },
    seed: seed ? { users: seed.userIds.length, ms: seed.ms } : null,
    summary,
    runs,
    skipped,
    search,
    signIn,
    comparisons: [...comparisons(summary), ...signInComparisons(signIn)],
  };
  process.stdout.write(formatTable(report) + "\n");
  const file = await writeReport(report, target.kind);
  process.stdout.write(`\nresults written to ${file}\n`);
  return failures > 0 ? 1 : 0;
}

main()
  .then(async (code) => {
    await cleanUp();
    process.exitCode = code;
  })
  .catch(async (error) => {
    if (interrupted) return; // the signal handler cleans up and exits
    process.stderr.write(`bench: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    await cleanUp();
    process.exitCode = 1;
  });
