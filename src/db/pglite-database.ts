import { access, mkdir, readdir, rm } from "node:fs/promises";
import path from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { Logger } from "../logger.js";
import { createPrismaClient, type Database, type QueryListener } from "./database.js";
import { lockDataDir } from "./data-dir-lock.js";
import { configureNewCluster, pgliteExtensions } from "./pglite-cluster.js";
import { copyTemplate, findTemplate } from "./pglite-template.js";
import { pgliteReader, reportingReader } from "./sql-reader.js";
import { pgliteSession } from "./sql-session.js";

export type PgliteOptions = {
  /** Persist under `<dataDir>/pglite`; in memory when absent. */
  dataDir?: string;
  /** Start an in-memory cluster from this dump. */
  snapshot?: Blob;
  /**
   * Where a new data directory's cluster comes from: the installed template by default. A
   * directory is copied, a dump loaded; null (or a template that fails) means initdb.
   */
  template?: () => Promise<Blob | string | null>;
  /** Says where a new cluster came from (the gateway's logger); silent when absent. */
  log?: Pick<Logger, "debug" | "warn">;
  onQuery?: QueryListener;
};

/**
 * PGlite keeps its cluster in `<dataDir>/pglite`. It has a single connection and no lock of its
 * own, so a lock file keeps a second process from opening (and corrupting) the same directory.
 */
export async function openPglite(options: PgliteOptions): Promise<Database> {
  let releaseLock = async () => {};
  let location: string | undefined;
  if (options.dataDir !== undefined) {
    await mkdir(options.dataDir, { recursive: true });
    releaseLock = await lockDataDir(options.dataDir);
    location = path.join(options.dataDir, "pglite");
  }
  let client: PGlite;
  try {
    client = location === undefined ? await createClient(undefined, options.snapshot) : await openOnDisk(location, options);
  } catch (error) {
    await releaseLock();
    throw error;
  }
  const prisma = createPrismaClient(new PrismaPGlite(client), options.onQuery);
  return {
    kind: "pglite",
    prisma,
    read: reportingReader(pgliteReader(client), options.onQuery),
    // The data directory lock already keeps every other process out.
    async withMigrationLock(work) {
      return work(pgliteSession(client));
    },
    async ping() {
      await client.query("select 1");
    },
    async close() {
      await prisma.$disconnect();
      await client.close();
      await releaseLock();
    },
  };
}

/**
 * Prisma sends Bytes arguments as base64 strings (adapter-pg decodes them by their argument type);
 * pglite-prisma-adapter 0.6.1 passes them on as they are, and PGlite's own bytea serializer takes
 * only bytes. Decode here so Bytes columns (Passkey.publicKey) can be written.
 */
function byteaArgument(value: unknown): string {
  if (typeof value === "string") return `\\x${Buffer.from(value, "base64").toString("hex")}`;
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString("hex")}`;
  throw new Error("Invalid input for bytea type");
}

/**
 * The cluster in `location`; a new one is a copy of the template when there is one, so the first
 * start skips initdb and the migrations. A missing template (none built, or built for another
 * PGlite version or migration history) means initdb, as does one that fails: it is only a speed-up.
 */
async function openOnDisk(location: string, options: PgliteOptions): Promise<PGlite> {
  if (await exists(path.join(location, "PG_VERSION"))) return createClient(location);
  const log = options.log ?? silent;
  const started = performance.now();
  const template = await (options.template ?? findTemplate)().catch((error: unknown) => {
    log.debug({ err: error }, "PGlite template unreadable");
    return null;
  });
  if (template === null) {
    log.debug({ location }, "no PGlite template for this installation; new cluster by initdb");
  } else {
    // What this call writes into `location` it may remove again, never files that were there before:
    // a directory is copied aside and renamed into place; a dump is unpacked in place.
    let written = typeof template !== "string" && (await isEmptyOrAbsent(location));
    try {
      if (typeof template === "string") {
        await copyTemplate(template, location);
        written = true;
      }
      const client = await createClient(location, typeof template === "string" ? undefined : template);
      log.debug({ location, ms: Math.round(performance.now() - started) }, "new PGlite cluster from the template");
      return client;
    } catch (error) {
      log.warn({ err: error, location }, "the PGlite template could not be used (npm run pglite:template rebuilds it); new cluster by initdb");
      if (written) await rm(location, { recursive: true, force: true });
    }
  }
  const client = await createClient(location);
  // A template or snapshot carries the settings already; a bare initdb gets them for its next start.
  await configureNewCluster(client);
  return client;
}

function createClient(location: string | undefined, initial?: Blob): Promise<PGlite> {
  return PGlite.create(location, {
    extensions: pgliteExtensions,
    serializers: { [types.BYTEA]: byteaArgument },
    ...(initial ? { loadDataDir: initial } : {}),
  });
}


const exists = (file: string) => access(file).then(() => true, () => false);
const isEmptyOrAbsent = (dir: string) => readdir(dir).then((entries) => entries.length === 0, () => true);

const silent: Pick<Logger, "debug" | "warn"> = { debug: () => {}, warn: () => {} };
