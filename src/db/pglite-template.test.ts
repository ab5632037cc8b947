// A new PGlite data directory starts as a copy of the installed template (a migrated, empty
// cluster) instead of initdb plus every migration; the migrator, bootstrap and the rows behave the
// same either way, and a missing or broken template only costs the speed-up.
import { cp, mkdir, mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "./ids.js";
import type { Database } from "./database.js";
import { applyMigrations, migrationsDir, readMigrations } from "./migrator.js";
import { openPglite, type PgliteOptions } from "./pglite-database.js";
import { findTemplate, templateDir, writeTemplate } from "./pglite-template.js";
import { prepareDatabase } from "../prepare-database.js";

let workDir: string;
let cache: string;
let template: string;
let migrationNames: string[];

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), "usergate-template-"));
  // What postinstall does, into a cache of this test's own (the installed template stays untouched).
  cache = path.join(workDir, "cache");
  await mkdir(cache);
  await writeFile(path.join(cache, "pglite-0.0.1-0123456789abcdef.tar"), "a dump of an earlier install");
  await mkdir(path.join(cache, "pglite-0.0.1-fedcba9876543210"));
  template = await writeTemplate(cache);
  migrationNames = (await readMigrations()).map((migration) => migration.name);
}, 60_000);
afterAll(() => rm(workDir, { recursive: true, force: true }));

type LogLine = { level: "debug" | "warn"; msg: string; fields: Record<string, unknown> };
function open(dataDir: string, options: Omit<PgliteOptions, "dataDir" | "log"> = {}) {
  const lines: LogLine[] = [];
  const log = {
    debug: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: "debug", msg, fields }),
    warn: (fields: Record<string, unknown>, msg: string) => void lines.push({ level: "warn", msg, fields }),
  } as PgliteOptions["log"];
  return { lines, opening: openPglite({ dataDir, log, ...options }) };
}

const migrate = (database: Database) => database.withMigrationLock((session) => applyMigrations(session));
const recorded = async (database: Database) =>
  (await database.read<{ migration_name: string }>(`SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL ORDER BY migration_name`, [])).map(
    (row) => row.migration_name,
  );
const sharedBuffers = async (database: Database) => (await database.read<{ shared_buffers: string }>("SHOW shared_buffers", []))[0]!.shared_buffers;
const notAgain = async (): Promise<string> => {
  throw new Error("an existing data directory must not be made from the template again");
};
const config = { bootstrapClient: null, signingAlg: "ES256", keyEncryption: null } as const;

describe("writeTemplate (npm postinstall)", () => {
  it("leaves the template as a whole cluster named after the PGlite version and the migration history, and only that", async () => {
    expect(path.basename(template)).toMatch(/^pglite-\d+\.\d+\.\d+-[0-9a-f]{16}$/);
    expect(await readdir(cache)).toEqual([path.basename(template)]);
    expect(await readdir(template)).toContain("PG_VERSION");
    expect(await findTemplate(cache)).toBe(template);
  });

  it("names the template after the migration history, so a stale one is never found", async () => {
    const newer = path.join(workDir, "migrations-with-one-more");
    await cp(migrationsDir, newer, { recursive: true });
    await mkdir(path.join(newer, "29990101000000_later"));
    await writeFile(path.join(newer, "29990101000000_later", "migration.sql"), "SELECT 1;\n");
    expect(await templateDir(newer, cache)).not.toBe(template);
    expect(await templateDir(migrationsDir, cache)).toBe(template);
    // No template for this installation (none built, or built for another PGlite version).
    expect(await findTemplate(path.join(workDir, "empty-cache"))).toBeNull();
  });
});

describe("a new data directory", () => {
  it("is a copy of the template: every migration recorded, bootstrap runs, and a restart keeps the rows", async () => {
    const dataDir = path.join(workDir, "from-template");
    const { lines, opening } = open(dataDir, { template: async () => template });
    const first = await opening;
    let realmId: string;
    try {
      expect(lines).toEqual([expect.objectContaining({ level: "debug", msg: "new PGlite cluster from the template" })]);
      expect(await recorded(first)).toEqual(migrationNames);
      const prepared = await prepareDatabase(first, config);
      expect(prepared.migrations).toEqual({ applied: [], alreadyApplied: migrationNames.length });
      expect(prepared.bootstrap.generatedCredentials).not.toBeNull();
      realmId = prepared.bootstrap.realmId;
      await first.prisma.realm.create({ data: { id: newId("realm"), name: "kept-across-restarts" } });
    } finally {
      await first.close();
    }
    expect(await readdir(dataDir)).toEqual(["pglite"]); // no staging copy left behind

    const second = await open(dataDir, { template: notAgain }).opening;
    try {
      const prepared = await prepareDatabase(second, config);
      expect(prepared.migrations.applied).toEqual([]);
      expect(prepared.bootstrap).toMatchObject({ realmId, generatedCredentials: null });
      expect(await second.prisma.realm.count({ where: { name: "kept-across-restarts" } })).toBe(1);
      expect(await second.prisma.signingKey.count()).toBe(1);
      expect(await sharedBuffers(second)).toBe("32MB");
    } finally {
      await second.close();
    }
  });

  it("runs initdb and then every migration when no template is installed, with the same settings from the next start", async () => {
    const dataDir = path.join(workDir, "without-template");
    const { lines, opening } = open(dataDir, { template: async () => null });
    const database = await opening;
    try {
      expect(lines.map((line) => line.level)).toEqual(["debug"]); // silent at the default level
      expect(await migrate(database)).toEqual({ applied: migrationNames, alreadyApplied: 0 });
    } finally {
      await database.close();
    }
    const restarted = await open(dataDir, { template: notAgain }).opening;
    try {
      expect(await recorded(restarted)).toEqual(migrationNames);
      expect(await sharedBuffers(restarted)).toBe("32MB");
    } finally {
      await restarted.close();
    }
  });

  it.each([
    ["a template directory that is not a cluster", async () => {
      const broken = path.join(workDir, "broken-template");
      await mkdir(broken, { recursive: true });
      await writeFile(path.join(broken, "PG_VERSION"), "18\n");
      return broken;
    }],
    ["a template dump that is not a tar", async () => new Blob(["not a tar"])],
  ] as const)("falls back to initdb from %s, warning once", async (name, broken) => {
    const dataDir = path.join(workDir, `broken-${name.length}`);
    const { lines, opening } = open(dataDir, { template: broken });
    const database = await opening;
    try {
      expect(lines.filter((line) => line.level === "warn")).toEqual([
        expect.objectContaining({ msg: expect.stringContaining("the PGlite template could not be used") }),
      ]);
      expect(await migrate(database)).toEqual({ applied: migrationNames, alreadyApplied: 0 });
    } finally {
      await database.close();
    }
  }, 60_000);

  it("never removes what was in the cluster directory before, and does not copy over it", async () => {
    const dataDir = path.join(workDir, "with-a-stray-file");
    await mkdir(path.join(dataDir, "pglite"), { recursive: true });
    await writeFile(path.join(dataDir, "pglite", "notes.txt"), "the operator's");
    const database = await open(dataDir, { template: async () => template }).opening;
    try {
      expect(await migrate(database)).toEqual({ applied: migrationNames, alreadyApplied: 0 });
    } finally {
      await database.close();
    }
    expect(await readdir(path.join(dataDir, "pglite"))).toContain("notes.txt");
  }, 60_000);
});
