// `npm run migrate` (src/db/migrate-cli.ts): applies what is pending and says so, nothing else.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { lockDataDir } from "../src/db/data-dir-lock.js";
import { migrationsDir } from "../src/db/migrator.js";
import { databaseUrl } from "./support/database-url.js";
import { runGatewayToExit } from "./support/gateway-process.js";
import { withDatabase } from "./support/postgres-admin.js";

const migrationNames = (await readdir(migrationsDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

const postgresTemplate = inject("postgresTemplate");
const migrate = (env: Record<string, string>) => runGatewayToExit(env, "src/db/migrate-cli.ts");

// The PostgreSQL run of the suite skips the embedded case: the PGlite run covers it.
describe.skipIf(postgresTemplate)("npm run migrate on the embedded database", { timeout: 120_000 }, () => {
  let workDir: string;
  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "usergate-migrate-"));
  });
  afterAll(() => rm(workDir, { recursive: true, force: true }));

  it("applies every migration to an unmigrated DATA_DIR, names each, and exits 0; a second run applies none", async () => {
    const dataDir = path.join(workDir, "data");
    // A bare cluster (initdb, no template), as a data directory made before the template existed.
    await (await openDatabase({ kind: "pglite", dataDir, template: async () => null })).close();
    const first = await migrate({ DATA_DIR: dataDir });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout.trim().split("\n")).toEqual([
      ...migrationNames.map((name) => `usergate: applied ${name}`),
      `usergate: ${migrationNames.length} migration(s) applied to PGlite in ${dataDir}`,
    ]);

    const second = await migrate({ DATA_DIR: dataDir });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(
      `usergate: PGlite in ${dataDir} is up to date (${migrationNames.length} migration(s) already applied)`,
    );
  });

  it("refuses a DATA_DIR another process holds: exit 1, one line", async () => {
    const dataDir = path.join(workDir, "held");
    await mkdir(dataDir);
    const release = await lockDataDir(dataDir);
    try {
      const result = await migrate({ DATA_DIR: dataDir });
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split("\n")).toEqual([
        expect.stringMatching(new RegExp(`^usergate: the data directory .* is in use by process ${process.pid};`)),
      ]);
    } finally {
      await release();
    }
  });
});

it("npm run migrate stops on a bad variable with one line", { timeout: 120_000 }, async () => {
  const result = await migrate({ DATABASE_URL: "mysql://localhost/usergate" });
  expect(result.code).toBe(1);
  expect(result.stderr.trim()).toBe(
    'usergate: DATABASE_URL must be a postgres:// or postgresql:// connection URL (got "mysql://localhost/usergate")',
  );
});

describe.skipIf(!postgresTemplate)("npm run migrate on PostgreSQL", { timeout: 120_000 }, () => {
  const serverUrl = postgresTemplate?.url ?? "";
  const name = `usergate_migrate_${randomBytes(6).toString("hex")}`;
  beforeAll(() => withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE template0`)));
  afterAll(() => withDatabase(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)));

  it("migrates an empty database, then finds it up to date", async () => {
    const first = await migrate({ DATABASE_URL: databaseUrl(serverUrl, name) });
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`usergate: ${migrationNames.length} migration(s) applied to PostgreSQL`);
    const second = await migrate({ DATABASE_URL: databaseUrl(serverUrl, name) });
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout.trim()).toBe(
      `usergate: PostgreSQL is up to date (${migrationNames.length} migration(s) already applied)`,
    );
  });
});
