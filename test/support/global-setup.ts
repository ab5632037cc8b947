// Migrates one database per run and hands each test file a fast copy of it: a dumped PGlite
// cluster by default, or a PostgreSQL template database when DATABASE_URL is set.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import type {} from "vitest";
import type { TestProject } from "vitest/node";
import { applyMigrations } from "../../src/db/migrator.js";
import { buildMigratedCluster } from "../../src/db/pglite-template.js";
import { postgresSession } from "../../src/db/sql-session.js";
import { databaseUrl } from "./database-url.js";
import { withDatabase } from "./postgres-admin.js";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteSnapshot: string | null;
    postgresTemplate: { url: string; database: string } | null;
  }
}

export default async function setup(project: TestProject) {
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl) {
    const database = `usergate_template_${randomBytes(4).toString("hex")}`;
    await withDatabase(serverUrl, (client) => client.query(`CREATE DATABASE "${database}"`));
    const templateUrl = databaseUrl(serverUrl, database);
    const client = new pg.Client({ connectionString: templateUrl });
    await client.connect();
    try {
      await applyMigrations(postgresSession(client));
    } finally {
      await client.end();
    }
    project.provide("pgliteSnapshot", null);
    project.provide("postgresTemplate", { url: serverUrl, database });
    return async () => {
      await withDatabase(serverUrl, (admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    };
  }

  const snapshot = await buildMigratedCluster();
  const dir = await mkdtemp(path.join(tmpdir(), "usergate-test-"));
  const file = path.join(dir, "migrated.tar");
  await writeFile(file, Buffer.from(await snapshot.arrayBuffer()));
  project.provide("pgliteSnapshot", file);
  project.provide("postgresTemplate", null);
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
}
