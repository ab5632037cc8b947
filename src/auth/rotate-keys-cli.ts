// `npm run keys:rotate`: retires the active signing key and creates a new one. Running gateways
// pick the new key up within a minute; tokens signed before stay valid until they expire.
import { loadConfig } from "../config.js";
import { openDatabase } from "../db/database.js";
import { recordAudit } from "../services/audit.js";
import { defaultRealmName } from "../services/bootstrap.js";
import { rotateSigningKey } from "./signing-keys.js";

const config = loadConfig();
const database = config.databaseUrl
  ? await openDatabase({ kind: "postgres", url: config.databaseUrl })
  : await openDatabase({ kind: "pglite", dataDir: config.dataDir });
try {
  const result = await database.prisma.$transaction(async (tx) => {
    const realm = await tx.realm.findUniqueOrThrow({ where: { name: defaultRealmName } });
    const rotated = await rotateSigningKey(tx, config.signingAlg);
    await recordAudit(tx, { type: "system", id: "keys:rotate", realmId: realm.id, requestId: null }, {
      action: "signing_key.rotate",
      targetType: "SigningKey",
      targetId: rotated.kid,
      changes: { activeKid: { before: rotated.retired, after: rotated.kid } },
    });
    return rotated;
  });
  console.log(`new signing key ${result.kid}; retired ${result.retired.join(", ") || "none"}`);
} finally {
  await database.close();
}
