// One isolated database per test file: an in-memory PGlite loaded from the migrated snapshot,
// or a fresh PostgreSQL database cloned from the migrated template.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { inject } from "vitest";
import { openDatabase, type Database } from "../../src/db/database.js";
import { databaseUrl } from "./database-url.js";
import { withDatabase } from "./postgres-admin.js";

export type TestDatabase = Database & { url: string | null };

export async function openTestDatabase(): Promise<TestDatabase> {
  const template = inject("postgresTemplate");
  if (template) {
    const name = `usergate_test_${randomBytes(6).toString("hex")}`;
    await withDatabase(template.url, (client) => client.query(`CREATE DATABASE "${name}" TEMPLATE "${template.database}"`));
    const url = databaseUrl(template.url, name);
    const database = await openDatabase({ kind: "postgres", url });
    return {
      ...database,
      url,
      async close() {
        await database.close();
        await withDatabase(template.url, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
      },
    };
  }
  const snapshotFile = inject("pgliteSnapshot");
  if (!snapshotFile) throw new Error("the global setup provided no database");
  const snapshot = new Blob([await readFile(snapshotFile)]);
  return { ...(await openDatabase({ kind: "pglite", snapshot })), url: null };
}
