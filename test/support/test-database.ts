// One isolated database per test file: an in-memory PGlite loaded from the migrated snapshot,
// or a fresh PostgreSQL database cloned from the migrated template.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { openDatabase, type Database, type QueryListener } from "../../src/db/database.js";
import { databaseUrl } from "./database-url.js";
import { withDatabase } from "./postgres-admin.js";

export type TestDatabase = Database & {
  /** The database's own URL on the PostgreSQL server (not the rewritten one); null for PGlite. */
  url: string | null;
};

export type TestDatabaseOptions = {
  /**
   * PostgreSQL only: connect through another URL than the database's own, e.g. one pointing at a
   * TCP proxy in front of the server. Receives the database's URL, returns the one to open.
   */
  connectVia?: (url: string) => string;
  /** Sees every SQL statement the gateway's Prisma client sends (tests count them). */
  onQuery?: QueryListener;
};

/** A migrated database of its own, nothing provisioned in it yet. */
export async function openTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const template = inject("postgresTemplate");
  if (template) {
    return createPostgresDatabase(template.url, `TEMPLATE "${template.database}"`, options);
  }
  const snapshotFile = inject("pgliteSnapshot");
  if (!snapshotFile) throw new Error("the global setup provided no database");
  const snapshot = new Blob([await readFile(snapshotFile)]);
  return { ...(await openDatabase({ kind: "pglite", snapshot, onQuery: options.onQuery })), url: null };
}

/** A database with nothing in it, not even the migrations: for tests of the migrator itself. */
export async function openEmptyDatabase(): Promise<TestDatabase> {
  const template = inject("postgresTemplate");
  if (template) return createPostgresDatabase(template.url, "TEMPLATE template0", {});
  return { ...(await openDatabase({ kind: "pglite" })), url: null };
}

async function createPostgresDatabase(
  serverUrl: string,
  templateClause: string,
  options: TestDatabaseOptions,
): Promise<TestDatabase> {
  const name = `usergate_test_${randomBytes(6).toString("hex")}`;
  await withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE "${name}" ${templateClause}`));
  const url = databaseUrl(serverUrl, name);
  const dropDatabase = () =>
    withDatabase(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
  let database: Database;
  try {
    database = await openDatabase({
      kind: "postgres",
      url: options.connectVia ? options.connectVia(url) : url,
      onQuery: options.onQuery,
    });
  } catch (error) {
    await dropDatabase();
    throw error;
  }
  return {
    ...database,
    url,
    async close() {
      await database.close();
      await dropDatabase();
    },
  };
}
