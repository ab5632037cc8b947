// `npm run keys:rotate [-- <realm name or id> | --all]`: retires a realm's active signing key and
// creates a new one. Without an argument it rotates the default realm's keys (as before keys were
// per realm); --all rotates every realm's, e.g. after a database backup leaked. Running gateways
// pick the new keys up within a minute; tokens signed before stay valid until they expire.
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { recordAudit } from "../services/audit.js";
import { defaultRealmName } from "../services/bootstrap.js";
import { PrivateKeyCipher } from "./private-key-encryption.js";
import { rotateSigningKey, type KeyMaking } from "./signing-keys.js";

const config = loadConfig();
const making: KeyMaking = { alg: config.signingAlg, cipher: new PrivateKeyCipher(config.keyEncryption) };
const named = process.argv[2] ?? defaultRealmName;
const database = config.databaseUrl
  ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
  : await openDatabase({ kind: "pglite", dataDir: config.dataDir });
try {
  const realms = await database.prisma.realm.findMany({
    where: named === "--all" ? {} : { OR: [{ id: named }, { name: named }] },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  if (realms.length === 0) {
    process.stderr.write(`usergate: no realm has the name or id ${named}\n`);
    process.exitCode = 1;
  }
  for (const realm of realms) {
    const result = await database.prisma.$transaction(async (tx) => {
      const rotated = await rotateSigningKey(tx, realm.id, making);
      await recordAudit(tx, { type: "system", id: "keys:rotate", realmId: realm.id, requestId: null }, {
        action: "signing_key.rotate",
        targetType: "SigningKey",
        targetId: rotated.kid,
        changes: { activeKid: { before: rotated.retired, after: rotated.kid } },
      });
      return rotated;
    });
    console.log(`realm ${realm.name}: new signing key ${result.kid}; retired ${result.retired.join(", ") || "none"}`);
  }
} finally {
  await database.close();
}
