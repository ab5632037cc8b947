// One database handle for the whole process: the Prisma client plus the raw connection the
// migrator and readiness check need. PGlite when no server is configured, PostgreSQL otherwise.
import type { SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient } from "../generated/prisma/client.js";
import type { PgliteOptions } from "./pglite-database.js";
import type { SqlReader } from "./sql-reader.js";
import type { SqlSession } from "./sql-session.js";

export type DatabaseKind = "pglite" | "postgres";

export type Database = {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Plain statements on the driver, for the few paths where Prisma's per-query cost matters: hot reads, and the single-statement writes of sign-in and refresh. */
  read: SqlReader;
  /** Runs `work` on one dedicated connection while holding the migration lock. */
  withMigrationLock<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

/** Sees every SQL statement the Prisma client sends (tests count them). */
export type QueryListener = (sql: string) => void;

export type DatabaseOptions = (
  | { kind: "postgres"; url: string }
  /** `dataDir` persists on disk; `snapshot` starts an in-memory copy of a dumped data directory. */
  | ({ kind: "pglite" } & Omit<PgliteOptions, "onQuery">)
) & { onQuery?: QueryListener };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") {
    const { openPostgres } = await import("./postgres-database.js");
    return openPostgres(options.url, options.onQuery);
  }
  const { openPglite } = await import("./pglite-database.js");
  return openPglite(options);
}

/** The Prisma client over a driver adapter, reporting statements to `onQuery` when given. */
export function createPrismaClient(adapter: SqlDriverAdapterFactory, onQuery?: QueryListener): PrismaClient {
  if (!onQuery) return new PrismaClient({ adapter });
  const prisma = new PrismaClient({ adapter, log: [{ emit: "event", level: "query" }] });
  prisma.$on("query", (event) => onQuery(event.query));
  return prisma;
}
