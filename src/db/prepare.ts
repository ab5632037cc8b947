// Everything a database needs before the gateway serves from it: migrations, then first-start
// provisioning, under one lock so that replicas starting together do this once.
import type { Config } from "../config.js";
import { bootstrap, type BootstrapResult } from "../services/bootstrap.js";
import type { Database } from "./database.js";
import { applyMigrations, type MigrationResult } from "./migrator.js";

export async function prepareDatabase(
  database: Database,
  bootstrapClient: Config["bootstrapClient"],
): Promise<{ migrations: MigrationResult; bootstrap: BootstrapResult }> {
  return database.withMigrationLock(async (session) => {
    const migrations = await applyMigrations(session);
    return { migrations, bootstrap: await bootstrap(database.prisma, bootstrapClient) };
  });
}
