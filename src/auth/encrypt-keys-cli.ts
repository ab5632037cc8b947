// `npm run keys:encrypt`: seals every stored private signing key with KEY_ENCRYPTION_KEY, both
// plain ones and those sealed with KEY_ENCRYPTION_KEY_PREVIOUS (to change the key: set the new
// one and the old one as previous on every replica, restart them, run this, then drop the
// previous). Running gateways keep the keys they already loaded; nothing else changes.
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { KeyEncryptionError, PrivateKeyCipher } from "./private-key-encryption.js";
import { resealPrivateKeys } from "./signing-keys.js";

const config = loadConfig();
if (!config.keyEncryption) {
  process.stderr.write("usergate: KEY_ENCRYPTION_KEY must be set to encrypt the signing keys\n");
  process.exit(1);
}
const cipher = new PrivateKeyCipher(config.keyEncryption);
const database = config.databaseUrl
  ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
  : await openDatabase({ kind: "pglite", dataDir: config.dataDir });
try {
  const { sealed, unchanged } = await database.prisma.$transaction((tx) => resealPrivateKeys(tx, cipher));
  process.stdout.write(`usergate: encrypted ${sealed} signing key(s); ${unchanged} already encrypted with KEY_ENCRYPTION_KEY\n`);
} catch (error) {
  if (!(error instanceof KeyEncryptionError)) throw error;
  process.stderr.write(`usergate: ${error.message}; nothing was changed\n`);
  process.exitCode = 1;
} finally {
  await database.close();
}
