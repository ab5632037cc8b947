// Everything a database needs before the gateway serves from it: migrations, then first-start
// provisioning and the first signing key, under one lock so that replicas starting together do this once.
import type { Config } from "../config.js";
import { ensureSigningKey } from "../auth/signing-keys.js";
import { bootstrap, type BootstrapResult } from "../services/bootstrap.js";
import type { Database } from "./database.js";
import { applyMigrations, type MigrationResult } from "./migrator.js";

export async function prepareDatabase(
  database: Database,
  config: Pick<Config, "bootstrapClient" | "signingAlg">,
): Promise<{ migrations: MigrationResult; bootstrap: BootstrapResult }> {
  return database.withMigrationLock(async (session) => {
    const migrations = await applyMigrations(session);
    const provisioned = await bootstrap(database.prisma, config.bootstrapClient);
    await ensureSigningKey(database.prisma, config.signingAlg);
    return { migrations, bootstrap: provisioned };
  });
}
