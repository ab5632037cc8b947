// An empty, migrated PGlite cluster, built once at install (npm postinstall) as a plain data
// directory and copied into each new data directory: a first start then skips initdb and the
// migrations, its largest costs (about 2 s on an idle machine, several under load). Keyed by the
// PGlite version and the migration history, so a stale template is never used; without one,
// PGlite runs initdb as before and the migrator brings the cluster up to date either way. Holds
// no secrets: the realm, keys and admin credentials are made by each data directory's own first
// start.
//
// A directory rather than a dump for PGlite's `loadDataDir`: the copy goes to a staging directory
// renamed into place, so a first start interrupted half-way leaves no half-written cluster behind
// (a dump is unpacked in place, PG_VERSION before the last files), and the process never holds the
// 40 MB dump in memory (about 60 MB less resident after a first start).
import { createHash } from "node:crypto";
import { access, cp, mkdir, readdir, readFile, rename, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, migrationsDir, readMigrations } from "./migrator.js";
import { configureNewCluster, pgliteExtensions } from "./pglite-cluster.js";
import { pgliteSession } from "./sql-session.js";

const nodeModules = fileURLToPath(new URL("../../node_modules/", import.meta.url));
/** Where installs keep their template: not committed, and rebuilt by every `npm install`/`npm ci`. */
export const cacheDir = path.join(nodeModules, ".cache", "usergate");
const prefix = "pglite-";

/** A fresh cluster (in memory, or persisted in `dataDir`) with the usergate settings and every migration applied. */
async function withMigratedCluster<T>(dataDir: string | undefined, then: (client: PGlite) => Promise<T>): Promise<T> {
  const client = await PGlite.create(dataDir, { extensions: pgliteExtensions });
  try {
    await configureNewCluster(client);
    await applyMigrations(pgliteSession(client));
    return await then(client);
  } finally {
    await client.close();
  }
}

/** A fresh in-memory cluster with every migration applied, dumped as an uncompressed tar (loads fastest). */
export function buildMigratedCluster(): Promise<Blob> {
  return withMigratedCluster(undefined, (client) => client.dumpDataDir("none"));
}

/** Where the template for this PGlite version and migration history lives. */
export async function templateDir(migrations = migrationsDir, cache = cacheDir): Promise<string> {
  const pglite = JSON.parse(await readFile(path.join(nodeModules, "@electric-sql", "pglite", "package.json"), "utf8")) as { version: string };
  const history = await readMigrations(migrations);
  const key = createHash("sha256")
    .update([pglite.version, ...history.map((migration) => `${migration.name}:${migration.checksum}`)].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return path.join(cache, `${prefix}${pglite.version}-${key}`);
}

/** Builds the template (again, so an install always refreshes it) and removes those of other versions. */
export async function writeTemplate(cache = cacheDir): Promise<string> {
  const dir = await templateDir(migrationsDir, cache);
  await mkdir(cache, { recursive: true });
  const partial = `${dir}.${process.pid}.partial`;
  const previous = `${dir}.${process.pid}.previous`;
  try {
    await withMigratedCluster(partial, async () => {});
    await rename(dir, previous).catch(ignore("ENOENT"));
    await rename(partial, dir); // whole or absent: a start never copies a half-built template
  } finally {
    await rm(partial, { recursive: true, force: true });
    await rm(previous, { recursive: true, force: true });
  }
  // Templates of other PGlite versions or migration histories, and the dumps of earlier installs;
  // not what another install of this same template is building right now.
  const current = path.basename(dir);
  for (const entry of await readdir(cache)) {
    const building = entry.startsWith(`${current}.`) && /^\d+\.(partial|previous)$/.test(entry.slice(current.length + 1));
    if (!entry.startsWith(prefix) || entry === current || building) continue;
    await rm(path.join(cache, entry), { recursive: true, force: true });
  }
  return dir;
}

/** The template matching this installation, or null when there is none. */
export async function findTemplate(cache = cacheDir): Promise<string | null> {
  const dir = await templateDir(migrationsDir, cache);
  return (await exists(path.join(dir, "PG_VERSION"))) ? dir : null;
}

/**
 * Copies `template` to `location`, which must not hold a cluster: through a staging directory
 * renamed into place, so `location` holds either nothing new or the whole copy.
 */
export async function copyTemplate(template: string, location: string): Promise<void> {
  const staging = `${location}.partial`;
  await rm(staging, { recursive: true, force: true });
  try {
    await cp(template, staging, { recursive: true, errorOnExist: true });
    await rename(staging, location); // replaces an empty directory; refuses one with files (ENOTEMPTY)
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

const exists = (file: string) => access(file).then(() => true, () => false);

const ignore = (code: string) => (error: NodeJS.ErrnoException) => {
  if (error.code !== code) throw error;
};
