// The gateway as an operator runs it: a real process, real port, real data directory.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { verifySecret } from "../src/services/secrets.js";
import { openDatabase } from "../src/db/database.js";
import { migrationsDir } from "../src/db/migrator.js";
import { findTemplate } from "../src/db/pglite-template.js";
import { databaseUrl } from "./support/database-url.js";
import { freePort, repositoryRoot, runGatewayToExit, spawnGateway, type GatewayProcess } from "./support/gateway-process.js";
import { withDatabase } from "./support/postgres-admin.js";
import { countRows } from "./support/table-rows.js";

const migrationNames = (await readdir(migrationsDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const postgresTemplate = inject("postgresTemplate");

/** The credentials block main.ts prints on the first start. */
function printedCredentials(stderr: string) {
  const clientIds = [...stderr.matchAll(/^ {2}client_id: +(\S+)$/gm)].map((match) => match[1]!);
  const clientSecrets = [...stderr.matchAll(/^ {2}client_secret: +(\S+)$/gm)].map((match) => match[1]!);
  return { clientIds, clientSecrets };
}

async function expectServing(gateway: GatewayProcess) {
  const health = await fetch(`${gateway.baseUrl}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });

  const ready = await fetch(`${gateway.baseUrl}/readyz`);
  expect(ready.status).toBe(200);
  expect(await ready.json()).toEqual({ status: "ready", database: "reachable" });

  const graphiql = await fetch(`${gateway.baseUrl}/graphql`, { headers: { accept: "text/html" } });
  expect(graphiql.status).toBe(200);
  expect(graphiql.headers.get("content-type")).toMatch(/^text\/html/);
  expect(await graphiql.text()).toContain("usergate GraphiQL");
}

const appliedMigrations = (gateway: GatewayProcess) =>
  gateway.logs().filter((line) => line.msg === "migrations applied");

describe("the gateway process on the embedded database (DATA_DIR)", { timeout: 120_000 }, () => {
  let workDir: string;
  let dataDir: string;
  let first: GatewayProcess;
  let credentials: { clientId: string; clientSecret: string };
  let rowsAfterFirstStart: Record<string, number>;

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "usergate-process-"));
    dataDir = path.join(workDir, "data");
    first = await spawnGateway({ DATA_DIR: dataDir });
    await first.listening;
  }, 120_000);
  afterAll(async () => {
    await first?.stop();
    await rm(workDir, { recursive: true, force: true });
  });

  it("serves /healthz, /readyz and GraphiQL at /graphql", async () => {
    await expectServing(first);
  });

  it("logs JSON lines, among them the listening URL and the migrations it applied", async () => {
    const listening = first.logs().find((line) => line.msg === "usergate listening");
    expect(listening).toMatchObject({ service: "usergate", url: expect.stringMatching(/\/graphql$/) });
    // A new DATA_DIR starts from the installed template, migrated already; without one, start-up migrates it.
    const templateInstalled = (await findTemplate()) !== null;
    expect(appliedMigrations(first)).toEqual(templateInstalled ? [] : [expect.objectContaining({ applied: migrationNames })]);
  });

  it("prints the generated admin credentials once, on stderr, and never in a log line", () => {
    const { clientIds, clientSecrets } = printedCredentials(first.stderr());
    expect(clientIds).toHaveLength(1);
    expect(clientSecrets).toHaveLength(1);
    credentials = { clientId: clientIds[0]!, clientSecret: clientSecrets[0]! };
    expect(first.stdout()).not.toContain(credentials.clientSecret);
  });

  it("refuses a second process on the same DATA_DIR: exit 1 and one line naming the holder", async () => {
    const second = await runGatewayToExit({ DATA_DIR: dataDir });
    expect(second.code).toBe(1);
    expect(second.stderr.trim().split("\n")).toEqual([
      `usergate: the data directory ${dataDir} is in use by process ${first.pid}; PGlite allows one process per directory (use DATABASE_URL to run several)`,
    ]);
    // The first process is unharmed.
    expect((await fetch(`${first.baseUrl}/readyz`)).status).toBe(200);
  });

  it("exits 0 on SIGTERM, logging 'stopped', and releases the data directory", async () => {
    expect(await first.stop(), first.stderr()).toBe(0);
    expect(first.logs().map((line) => line.msg)).toEqual(expect.arrayContaining(["shutting down", "stopped"]));
    expect(existsSync(path.join(dataDir, "usergate.lock"))).toBe(false);
  });

  it("persisted the admin application: its stored hash verifies the printed secret", async () => {
    const database = await openDatabase({ kind: "pglite", dataDir });
    try {
      const app = await database.prisma.application.findUniqueOrThrow({ where: { clientId: credentials.clientId } });
      expect(verifySecret(credentials.clientSecret, app.clientSecretHash!)).toBe(true);
      rowsAfterFirstStart = await countRows(database.prisma);
    } finally {
      await database.close();
    }
    expect(rowsAfterFirstStart).toMatchObject({ Realm: 1, Application: 1, Resource: 1 });
  });

  it("restarts on the same data: no credentials printed, no migration applied, every row kept", async () => {
    const restarted = await spawnGateway({ DATA_DIR: dataDir });
    try {
      await restarted.listening;
      await expectServing(restarted);
    } finally {
      expect(await restarted.stop(), restarted.stderr()).toBe(0);
    }
    expect(restarted.stderr()).not.toMatch(/client_id|client_secret|first start/);
    expect(appliedMigrations(restarted)).toEqual([]);

    const database = await openDatabase({ kind: "pglite", dataDir });
    try {
      expect(await countRows(database.prisma)).toEqual(rowsAfterFirstStart);
      const app = await database.prisma.application.findUniqueOrThrow({ where: { clientId: credentials.clientId } });
      expect(verifySecret(credentials.clientSecret, app.clientSecretHash!)).toBe(true);
    } finally {
      await database.close();
    }
  });
});

describe("npm start, as the README says to run it", { timeout: 120_000 }, () => {
  it("serves GraphiQL from a new DATA_DIR, and a SIGTERM to npm itself stops the gateway cleanly", async () => {
    const workDir = await mkdtemp(path.join(tmpdir(), "usergate-npm-start-"));
    const dataDir = path.join(workDir, "data");
    const port = await freePort();
    // The script execs node, so npm's forwarded signal reaches the gateway (through `sh -c` it did not:
    // npm and the shell exited, the gateway kept running without them).
    const npm = spawn("npm", ["start"], {
      cwd: repositoryRoot,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? "", HOST: "127.0.0.1", PORT: String(port), DATA_DIR: dataDir },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    npm.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    npm.stderr.resume();
    const exited = new Promise<number | string>((resolve) => npm.on("exit", (code, signal) => resolve(code ?? signal ?? "unknown")));
    try {
      await expect.poll(() => stdout.includes('"msg":"usergate listening"'), { timeout: 90_000, interval: 100 }).toBe(true);
      const graphiql = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: "text/html" } });
      expect(graphiql.status).toBe(200);
      await graphiql.text();
      npm.kill("SIGTERM");
      await exited;
      await expect.poll(() => stdout.includes('"msg":"stopped"'), { timeout: 15_000 }).toBe(true);
      await expect.poll(() => existsSync(path.join(dataDir, "usergate.lock")), { timeout: 5_000 }).toBe(false);
      expect(await fetch(`http://127.0.0.1:${port}/healthz`).then(() => "still serving", () => "gone")).toBe("gone");
    } finally {
      npm.kill("SIGKILL");
      // A gateway left behind holds the lock file, which names it.
      const holder = Number.parseInt(await readFile(path.join(dataDir, "usergate.lock"), "utf8").catch(() => ""), 10);
      if (Number.isInteger(holder)) process.kill(holder, "SIGKILL");
      await rm(workDir, { recursive: true, force: true });
    }
  });
});

describe("start-up failures stop the process with one line and no stack trace", { timeout: 120_000 }, () => {
  const noStackTrace = /^\s+at /m;

  it("DATABASE_URL pointing at a closed port", async () => {
    const closedPort = await freePort();
    const result = await runGatewayToExit({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/postgres` });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(new RegExp(`^usergate: cannot reach the database at 127\\.0\\.0\\.1:${closedPort}/postgres: `)),
    ]);
    expect(result.stderr).not.toMatch(noStackTrace);
  });

  it("PORT=abc", async () => {
    const result = await runGatewayToExit({ PORT: "abc" });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      'usergate: PORT must be an integer port between 1 and 65535 (got "abc")',
    ]);
  });

  it("a bootstrap secret that is too short, without repeating it", async () => {
    const result = await runGatewayToExit({
      USERGATE_BOOTSTRAP_CLIENT_ID: "ops-admin-client",
      USERGATE_BOOTSTRAP_CLIENT_SECRET: "short-secret",
    });
    expect(result.code).not.toBe(0);
    expect(result.stderr.trim().split("\n")).toEqual([
      "usergate: USERGATE_BOOTSTRAP_CLIENT_SECRET must be a secret of at least 32 characters",
    ]);
  });
});

describe.skipIf(!postgresTemplate)("the gateway process on PostgreSQL (DATABASE_URL)", { timeout: 120_000 }, () => {
  const serverUrl = postgresTemplate?.url ?? "";
  const name = `usergate_process_${randomBytes(6).toString("hex")}`;
  beforeAll(() => withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`)));
  afterAll(() => withDatabase(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

  it("migrates an empty database, bootstraps it, serves, and stops on SIGTERM", async () => {
    const gateway = await spawnGateway({ DATABASE_URL: databaseUrl(serverUrl, name) });
    try {
      await gateway.listening;
      await expectServing(gateway);
    } finally {
      expect(await gateway.stop(), gateway.stderr()).toBe(0);
    }
    expect(appliedMigrations(gateway)).toEqual([expect.objectContaining({ applied: migrationNames })]);
    expect(printedCredentials(gateway.stderr()).clientSecrets).toHaveLength(1);
    expect(gateway.logs().map((line) => line.msg)).toContain("stopped");
  });

  it("restarts on it applying nothing and printing no credentials", async () => {
    const gateway = await spawnGateway({ DATABASE_URL: databaseUrl(serverUrl, name) });
    try {
      await gateway.listening;
      expect((await fetch(`${gateway.baseUrl}/readyz`)).status).toBe(200);
    } finally {
      expect(await gateway.stop(), gateway.stderr()).toBe(0);
    }
    expect(appliedMigrations(gateway)).toEqual([]);
    expect(gateway.stderr()).not.toMatch(/client_secret/);
  });
});
