// A new PGlite data directory starts from the installed template (a migrated, empty cluster)
// instead of initdb plus every migration; the migrator and the rows behave the same either way.
import { cp, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "./ids.js";
import { openDatabase, type Database } from "./database.js";
import { applyMigrations, migrationsDir, readMigrations } from "./migrator.js";
import { buildMigratedCluster, templateFile } from "./pglite-template.js";

let workDir: string;
let template: Blob;
let migrationNames: string[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "usergate-template-"));
  template = await buildMigratedCluster();
  migrationNames = (await readMigrations()).map((migration) => migration.name);
});
afterAll(() => rm(workDir, { recursive: true, force: true }));

const migrate = (database: Database) => database.withMigrationLock((session) => applyMigrations(session));
const sharedBuffers = async (database: Database) => (await database.read<{ shared_buffers: string }>("SHOW shared_buffers", []))[0]!.shared_buffers;
const notAgain = async (): Promise<Blob> => {
  throw new Error("an existing data directory must not be loaded from the template");
};

describe("a new data directory", () => {
  it("starts from the template with every migration recorded, and keeps its rows after a restart", async () => {
    const dataDir = path.join(workDir, "from-template");
    const first = await openDatabase({ kind: "pglite", dataDir, template: async () => template });
    try {
      expect(await migrate(first)).toEqual({ applied: [], alreadyApplied: migrationNames.length });
      await first.prisma.realm.create({ data: { id: newId("realm"), name: "kept-across-restarts" } });
    } finally {
      await first.close();
    }
    const second = await openDatabase({ kind: "pglite", dataDir, template: notAgain });
    try {
      expect(await second.prisma.realm.count({ where: { name: "kept-across-restarts" } })).toBe(1);
      expect((await migrate(second)).applied).toEqual([]);
      expect(await sharedBuffers(second)).toBe("32MB");
    } finally {
      await second.close();
    }
  });

  it("runs initdb and then every migration when no template is installed, with the same settings from the next start", async () => {
    const dataDir = path.join(workDir, "without-template");
    const database = await openDatabase({ kind: "pglite", dataDir, template: async () => null });
    try {
      expect(await migrate(database)).toEqual({ applied: migrationNames, alreadyApplied: 0 });
    } finally {
      await database.close();
    }
    const restarted = await openDatabase({ kind: "pglite", dataDir, template: notAgain });
    try {
      expect(await sharedBuffers(restarted)).toBe("32MB");
    } finally {
      await restarted.close();
    }
  });
});

it("names the template after the PGlite version and the migration history, so a stale one is never read", async () => {
  const installed = await templateFile();
  expect(path.basename(installed)).toMatch(/^pglite-\d+\.\d+\.\d+-[0-9a-f]{16}\.tar$/);
  const newer = path.join(workDir, "migrations-with-one-more");
  await cp(migrationsDir, newer, { recursive: true });
  await mkdir(path.join(newer, "29990101000000_later"));
  await writeFile(path.join(newer, "29990101000000_later", "migration.sql"), "SELECT 1;\n");
  expect(await templateFile(newer)).not.toBe(installed);
  expect(await templateFile(migrationsDir)).toBe(installed);
});
