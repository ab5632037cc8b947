// An empty, migrated PGlite cluster, built once at install (npm postinstall) and copied into each
// new data directory: a first start then skips initdb and the migrations, its largest costs
// (about 2 s on an idle machine, several under load). Keyed by the PGlite version and the
// migration history, so a stale template is never used; without one, PGlite runs initdb as
// before and the migrator brings the cluster up to date either way. Holds no secrets: the
// realm, keys and admin credentials are made by each data directory's own first start.
import { createHash } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { PGlite } from "@electric-sql/pglite";
import { applyMigrations, migrationsDir, readMigrations } from "./migrator.js";
import { configureNewCluster, pgliteExtensions } from "./pglite-cluster.js";
import { pgliteSession } from "./sql-session.js";

const nodeModules = fileURLToPath(new URL("../../node_modules/", import.meta.url));
const cacheDir = path.join(nodeModules, ".cache", "usergate");

/** A fresh in-memory cluster with every migration applied, dumped as an uncompressed tar (loads fastest). */
export async function buildMigratedCluster(): Promise<Blob> {
  const client = await PGlite.create({ extensions: pgliteExtensions });
  try {
    await configureNewCluster(client);
    await applyMigrations(pgliteSession(client));
    return await client.dumpDataDir("none");
  } finally {
    await client.close();
  }
}

/** Where the template for this PGlite version and migration history lives. */
export async function templateFile(migrations = migrationsDir): Promise<string> {
  const pglite = JSON.parse(await readFile(path.join(nodeModules, "@electric-sql", "pglite", "package.json"), "utf8")) as { version: string };
  const history = await readMigrations(migrations);
  const key = createHash("sha256")
    .update([pglite.version, ...history.map((migration) => `${migration.name}:${migration.checksum}`)].join("\n"))
    .digest("hex")
    .slice(0, 16);
  return path.join(cacheDir, `pglite-${pglite.version}-${key}.tar`);
}

export async function writeTemplate(): Promise<string> {
  const file = await templateFile();
  await mkdir(path.dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, Buffer.from(await (await buildMigratedCluster()).arrayBuffer()));
  await rename(partial, file); // whole or absent, also when two installs race
  return file;
}

/** The template matching this installation, or null when there is none. */
export async function readTemplate(): Promise<Blob | null> {
  try {
    return new Blob([await readFile(await templateFile())]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
