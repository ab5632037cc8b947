// Applies prisma/migrations at start-up. Each migration runs in its own transaction and is
// recorded in Prisma's `_prisma_migrations` table with Prisma's checksum (sha256 of the file),
// so this migrator and `prisma migrate deploy` recognise each other's work.
import { createHash, randomUUID } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlSession } from "./sql-session.js";

export const migrationsDir = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));

type Migration = { name: string; script: string; checksum: string };

export type MigrationResult = { applied: string[]; alreadyApplied: number };

export class MigrationError extends Error {
  override name = "MigrationError";
}

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  return Promise.all(
    names.map(async (name) => {
      const script = await readFile(path.join(dir, name, "migration.sql"), "utf8");
      return { name, script, checksum: createHash("sha256").update(script).digest("hex") };
    }),
  );
}

/** Applies what is missing; the caller holds the migration lock on `session`. */
export async function applyMigrations(session: SqlSession, dir = migrationsDir): Promise<MigrationResult> {
  const migrations = await readMigrations(dir);
  await session.exec(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id" VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum" VARCHAR(64) NOT NULL,
    "finished_at" TIMESTAMPTZ,
    "migration_name" VARCHAR(255) NOT NULL,
    "logs" TEXT,
    "rolled_back_at" TIMESTAMPTZ,
    "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count" INTEGER NOT NULL DEFAULT 0
  )`);
  const rows = await session.query<{ migration_name: string; finished_at: Date | null }>(
    `SELECT migration_name, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL`,
  );
  const unfinished = rows.find((row) => row.finished_at === null);
  if (unfinished) {
    throw new MigrationError(
      `migration ${unfinished.migration_name} was started but never finished; repair the database and mark it rolled back before starting again`,
    );
  }
  const done = new Set(rows.map((row) => row.migration_name));
  const applied: string[] = [];
  for (const migration of migrations) {
    if (done.has(migration.name)) continue;
    await session.exec("BEGIN");
    try {
      await session.exec(migration.script);
      await session.query(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, finished_at, applied_steps_count)
         VALUES ($1, $2, $3, now(), now(), 1)`,
        [randomUUID(), migration.checksum, migration.name],
      );
      await session.exec("COMMIT");
    } catch (error) {
      await session.exec("ROLLBACK");
      const reason = error instanceof Error ? error.message : String(error);
      throw new MigrationError(`migration ${migration.name} failed and was rolled back: ${reason}`, { cause: error });
    }
    applied.push(migration.name);
  }
  return { applied, alreadyApplied: done.size };
}
