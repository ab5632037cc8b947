import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { createPrismaClient, type Database, type QueryListener } from "./database.js";
import { DatabaseUnavailableError } from "./database-errors.js";
import { postgresReader, reportingReader } from "./sql-reader.js";
import { postgresSession } from "./sql-session.js";

/** Prisma's own advisory lock key, so `prisma migrate deploy` and our migrator exclude each other. */
const migrationLockKey = 72707369;

export async function openPostgres(url: string, onQuery?: QueryListener): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    // Without these an outage makes requests wait forever instead of answering 503.
    connectionTimeoutMillis: 2_000,
    statement_timeout: 15_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits 'error'; the pool replaces it on next use.
  pool.on("error", () => {});
  try {
    await pool.query("select 1");
  } catch (error) {
    await pool.end();
    throw new DatabaseUnavailableError(describeTarget(url), error);
  }
  const prisma = createPrismaClient(new PrismaPg(pool), onQuery);
  return {
    kind: "postgres",
    prisma,
    read: reportingReader(postgresReader(pool), onQuery),
    async withMigrationLock(work) {
      const client = await pool.connect();
      try {
        await client.query("select pg_advisory_lock($1)", [migrationLockKey]);
        try {
          return await work(postgresSession(client));
        } finally {
          await client.query("select pg_advisory_unlock($1)", [migrationLockKey]);
        }
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query("select 1");
    },
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

/** host:port/database, without credentials, for error messages. */
function describeTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}
