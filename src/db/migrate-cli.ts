// `npm run migrate`: applies pending migrations to the configured database (PGlite in DATA_DIR,
// or DATABASE_URL) and nothing else; start-up does the same before it serves.
import { ConfigError, loadConfig } from "../config.js";
import { DatabaseUnavailableError } from "./database-errors.js";
import { openDatabase } from "./database.js";
import { DataDirLockedError } from "./data-dir-lock.js";
import { applyMigrations, MigrationError } from "./migrator.js";

const expectedFailures = [ConfigError, DatabaseUnavailableError, DataDirLockedError, MigrationError];

async function migrate() {
  const config = loadConfig();
  const database = config.databaseUrl
    ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
    : await openDatabase({ kind: "pglite", dataDir: config.dataDir });
  try {
    const result = await database.withMigrationLock((session) => applyMigrations(session));
    const target = database.kind === "postgres" ? "PostgreSQL" : `PGlite in ${config.dataDir}`;
    for (const name of result.applied) process.stdout.write(`usergate: applied ${name}\n`);
    process.stdout.write(
      result.applied.length > 0
        ? `usergate: ${result.applied.length} migration(s) applied to ${target}\n`
        : `usergate: ${target} is up to date (${result.alreadyApplied} migration(s) already applied)\n`,
    );
  } finally {
    await database.close();
  }
}

function fail(error: unknown): never {
  if (expectedFailures.some((type) => error instanceof type)) {
    process.stderr.write(`usergate: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`usergate: migration failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
}

migrate().then(() => process.exit(0), fail);
