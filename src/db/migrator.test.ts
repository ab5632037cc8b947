import { createHash } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openEmptyDatabase, openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { applyMigrations, MigrationError, migrationsDir, type MigrationResult } from "./migrator.js";
import type { SqlSession } from "./sql-session.js";

type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
};

const committedMigrations = (await readdir(migrationsDir, { withFileTypes: true }))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort();

function migrate(database: TestDatabase, dir?: string): Promise<MigrationResult> {
  return database.withMigrationLock((session) => applyMigrations(session, dir));
}

function query<Row>(database: TestDatabase, sql: string, params?: unknown[]): Promise<Row[]> {
  return database.withMigrationLock((session: SqlSession) => session.query<Row>(sql, params));
}

const recorded = (database: TestDatabase) =>
  query<MigrationRow>(
    database,
    `SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations" ORDER BY migration_name`,
  );

async function tableExists(database: TestDatabase, table: string): Promise<boolean> {
  const [row] = await query<{ found: string | null }>(database, "SELECT to_regclass($1)::text AS found", [
    `"${table}"`,
  ]);
  return row?.found != null;
}

/** A migrations directory of our own: name → SQL. */
async function migrationsDirWith(migrations: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "usergate-migrations-"));
  temporaryDirs.push(dir);
  for (const [name, sql] of Object.entries(migrations)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, "migration.sql"), sql);
  }
  return dir;
}
const temporaryDirs: string[] = [];
afterAll(() => Promise.all(temporaryDirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe("on an empty database", () => {
  let database: TestDatabase;
  let firstRun: MigrationResult;
  beforeAll(async () => {
    database = await openEmptyDatabase();
    firstRun = await migrate(database);
  });
  afterAll(() => database?.close());

  it("applies every migration in prisma/migrations, in order", () => {
    expect(committedMigrations.length).toBeGreaterThan(0);
    expect(firstRun).toEqual({ applied: committedMigrations, alreadyApplied: 0 });
  });

  it("creates the data model's tables", async () => {
    for (const table of ["Realm", "User", "Role", "Resource", "Scope", "Application", "AuditEvent"]) {
      expect(await tableExists(database, table), table).toBe(true);
    }
  });

  it("records each migration as Prisma does: sha256 hex of migration.sql, finished, not rolled back", async () => {
    const expected = await Promise.all(
      committedMigrations.map(async (name) => ({
        migration_name: name,
        checksum: createHash("sha256")
          .update(await readFile(path.join(migrationsDir, name, "migration.sql")))
          .digest("hex"),
        rolled_back_at: null,
      })),
    );
    const rows = await recorded(database);
    expect(rows.map(({ finished_at, ...row }) => row)).toEqual(expected);
    for (const row of rows) expect(row.finished_at).toBeInstanceOf(Date);
  });

  it("applies nothing on a second run", async () => {
    const before = await recorded(database);
    expect(await migrate(database)).toEqual({ applied: [], alreadyApplied: committedMigrations.length });
    expect(await recorded(database)).toEqual(before);
  });
});

describe("when a migration fails", () => {
  let database: TestDatabase;
  afterEach(() => database?.close());

  it("keeps the migrations before it, rolls the failing one back entirely and records nothing for it", async () => {
    database = await openTestDatabase();
    const dir = await migrationsDirWith({
      "29990101000000_add_probe": `CREATE TABLE "probe_ok" ("id" TEXT PRIMARY KEY);`,
      "29990102000000_broken": [
        `CREATE TABLE "probe_partial" ("id" TEXT PRIMARY KEY);`,
        `INSERT INTO "probe_ok" ("id") VALUES ('kept out');`,
        `ALTER TABLE "no_such_table" ADD COLUMN "x" INTEGER;`,
      ].join("\n"),
      "29990103000000_after_broken": `CREATE TABLE "probe_after" ("id" TEXT PRIMARY KEY);`,
    });

    const failure = await migrate(database, dir).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/^migration 29990102000000_broken failed and was rolled back: /);
    expect((failure as Error).message).toContain("no_such_table");

    const names = (await recorded(database)).map((row) => row.migration_name);
    expect(names).toContain("29990101000000_add_probe");
    expect(names).not.toContain("29990102000000_broken");
    expect(names).not.toContain("29990103000000_after_broken");
    expect(await tableExists(database, "probe_ok")).toBe(true);
    expect(await query(database, `SELECT * FROM "probe_ok"`)).toEqual([]);
    expect(await tableExists(database, "probe_partial")).toBe(false);
    expect(await tableExists(database, "probe_after")).toBe(false);
  });

  it("applies the repaired migration on the next run", async () => {
    database = await openTestDatabase();
    const broken = await migrationsDirWith({ "29990101000000_probe": `CREATE TABLE "probe" (; ` });
    await expect(migrate(database, broken)).rejects.toBeInstanceOf(MigrationError);
    const repaired = await migrationsDirWith({ "29990101000000_probe": `CREATE TABLE "probe" ("id" TEXT);` });
    expect(await migrate(database, repaired)).toMatchObject({ applied: ["29990101000000_probe"] });
    expect(await tableExists(database, "probe")).toBe(true);
  });

  it("refuses to run while a migration is recorded as started but unfinished", async () => {
    database = await openTestDatabase();
    await query(
      database,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at)
       VALUES ('00000000-0000-4000-8000-000000000001', 'x', '29990101000000_interrupted', now())`,
    );
    const pending = await migrationsDirWith({ "29990102000000_next": `CREATE TABLE "probe_next" ("id" TEXT);` });

    const failure = await migrate(database, pending).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as Error).message).toMatch(/29990101000000_interrupted was started but never finished/);
    expect(await tableExists(database, "probe_next")).toBe(false);
  });

  it("runs again once the unfinished migration is marked rolled back", async () => {
    database = await openTestDatabase();
    await query(
      database,
      `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, rolled_back_at)
       VALUES ('00000000-0000-4000-8000-000000000002', 'x', '29990101000000_interrupted', now(), now())`,
    );
    expect(await migrate(database)).toEqual({ applied: [], alreadyApplied: committedMigrations.length });
  });
});
