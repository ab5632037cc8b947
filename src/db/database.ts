// One database handle for the whole process: the Prisma client plus the raw connection the
// migrator and readiness check need. PGlite when no server is configured, PostgreSQL otherwise.
import { PrismaClient } from "../generated/prisma/client.js";
import type { SqlSession } from "./sql-session.js";

export type DatabaseKind = "pglite" | "postgres";

export type Database = {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Runs `work` on one dedicated connection while holding the migration lock. */
  withMigrationLock<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
  /** Resolves when the database answers a trivial query; rejects otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
};

export type DatabaseOptions =
  | { kind: "postgres"; url: string }
  /** `dataDir` persists on disk; `snapshot` starts an in-memory copy of a dumped data directory. */
  | { kind: "pglite"; dataDir?: string; snapshot?: Blob };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "postgres") {
    const { openPostgres } = await import("./postgres-database.js");
    return openPostgres(options.url);
  }
  const { openPglite } = await import("./pglite-database.js");
  return openPglite(options);
}
