import { access, mkdir } from "node:fs/promises";
import path from "node:path";
import { PGlite, types } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { createPrismaClient, type Database, type QueryListener } from "./database.js";
import { lockDataDir } from "./data-dir-lock.js";
import { configureNewCluster, pgliteExtensions } from "./pglite-cluster.js";
import { readTemplate } from "./pglite-template.js";
import { pgliteReader, reportingReader } from "./sql-reader.js";
import { pgliteSession } from "./sql-session.js";

export type PgliteOptions = {
  /** Persist under `<dataDir>/pglite`; in memory when absent. */
  dataDir?: string;
  /** Start an in-memory cluster from this dump. */
  snapshot?: Blob;
  /** Where a new data directory's cluster comes from: the installed template by default (null: initdb). */
  template?: () => Promise<Blob | null>;
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
    const newCluster = location !== undefined && !(await exists(path.join(location, "PG_VERSION")));
    const initial = options.snapshot ?? (newCluster ? await (options.template ?? readTemplate)() : null);
    client = await PGlite.create(location, {
      extensions: pgliteExtensions,
      serializers: { [types.BYTEA]: byteaArgument },
      ...(initial ? { loadDataDir: initial } : {}),
    });
    // A template or snapshot carries the settings already; a bare initdb gets them for its next start.
    if (newCluster && !initial) await configureNewCluster(client);
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

const exists = (file: string) => access(file).then(() => true, () => false);
