// Process start: configuration, database, migrations and bootstrap, then serve until SIGTERM.
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { KeyEncryptionError } from "./auth/private-key-encryption.js";
import { ConfigError, loadConfig } from "./config.js";
import { openDatabase, type Database } from "./db/database.js";
import { DatabaseUnavailableError } from "./db/database-errors.js";
import { DataDirLockedError } from "./db/data-dir-lock.js";
import { MigrationError } from "./db/migrator.js";
import { prepareDatabase } from "./prepare-database.js";
import { createRateLimiter } from "./http/rate-limiter.js";
import { createLogger } from "./logger.js";

/** In-flight requests get this long to finish after SIGTERM. */
const shutdownGraceMs = 10_000;

const expectedFailures = [ConfigError, DatabaseUnavailableError, DataDirLockedError, MigrationError, KeyEncryptionError];

async function main() {
  const started = performance.now();
  const config = loadConfig();
  const logger = createLogger(config.logLevel);
  const database: Database = config.databaseUrl
    ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
    : await openDatabase({ kind: "pglite", dataDir: config.dataDir, log: logger });

  const prepared = await prepareDatabase(database, config);
  if (prepared.migrations.applied.length > 0) {
    logger.info({ applied: prepared.migrations.applied }, "migrations applied");
  }
  const credentials = prepared.bootstrap.generatedCredentials;
  if (credentials) {
    // Shown once, on the terminal only: the secret is stored hashed and never logged.
    process.stderr.write(
      [
        "",
        "usergate: first start. Admin application credentials (shown only this once):",
        `  client_id:     ${credentials.clientId}`,
        `  client_secret: ${credentials.clientSecret}`,
        "",
      ].join("\n") + "\n",
    );
  }

  const rateLimiter = createRateLimiter(config);
  const app = createApp({ config, database, logger, defaultRealmId: prepared.bootstrap.realmId, rateLimiter });
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, () => {
    logger.info(
      {
        url: `${config.publicUrl}/graphql`,
        database: database.kind === "postgres" ? "postgres" : `pglite:${config.dataDir}`,
        startupMs: Math.round(performance.now() - started),
      },
      "usergate listening",
    );
  });
  server.on("error", (error) => fail(error));

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => {
      logger.warn("in-flight requests did not finish in time; closing");
      if ("closeAllConnections" in server) server.closeAllConnections();
    }, shutdownGraceMs);
    force.unref();
    server.close(async () => {
      await rateLimiter.close();
      await database.close();
      logger.info("stopped");
      process.exit(0);
    });
    if ("closeIdleConnections" in server) server.closeIdleConnections();
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

function fail(error: unknown): never {
  if (expectedFailures.some((type) => error instanceof type)) {
    process.stderr.write(`usergate: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`usergate: start-up failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  }
  process.exit(1);
}

main().catch(fail);
