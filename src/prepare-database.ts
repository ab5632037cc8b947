// Everything a database needs before the gateway serves from it: migrations, then first-start
// provisioning and the default realm's first signing key, under one lock so that replicas starting
// together do this once. Other realms get their first key when they first sign (KeyStore).
// It joins three layers (db migrations, services provisioning, auth keys), so it sits with the
// process start that calls it rather than in any one of them.
import { PrivateKeyCipher } from "./auth/private-key-encryption.js";
import { checkActiveKeysReadable, ensureSigningKey } from "./auth/signing-keys.js";
import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import { applyMigrations, type MigrationResult } from "./db/migrator.js";
import { bootstrap, type BootstrapResult } from "./services/bootstrap.js";

export async function prepareDatabase(
  database: Database,
  config: Pick<Config, "bootstrapClient" | "signingAlg" | "keyEncryption">,
): Promise<{ migrations: MigrationResult; bootstrap: BootstrapResult }> {
  return database.withMigrationLock(async (session) => {
    const migrations = await applyMigrations(session);
    const provisioned = await bootstrap(database.prisma, config.bootstrapClient);
    const cipher = new PrivateKeyCipher(config.keyEncryption);
    await ensureSigningKey(database.prisma, provisioned.realmId, { alg: config.signingAlg, cipher });
    // An encrypted key without its KEY_ENCRYPTION_KEY stops the start, not the first sign-in.
    await checkActiveKeysReadable(database.prisma, cipher);
    return { migrations, bootstrap: provisioned };
  });
}
