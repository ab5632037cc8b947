// With KEY_ENCRYPTION_KEY set, a copy of the database alone cannot sign tokens: every private
// signing key is stored as an AES-256-GCM envelope. Read the rows as an attacker with the dump
// would, then check that the gateway still signs, and that a wrong key stops it at start-up.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { exportJWK, generateKeyPair } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { adminClient, startTestGateway, testOrigin, type TestGateway } from "../../test/support/gateway.js";
import { runGatewayToExit, spawnGateway } from "../../test/support/gateway-process.js";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { loadConfig } from "../config.js";
import { openDatabase, type Database } from "../db/database.js";
import { prepareDatabase } from "../prepare-database.js";
import { KeyEncryptionError, PrivateKeyCipher, type SealedPrivateKey } from "./private-key-encryption.js";
import { resealPrivateKeys } from "./signing-keys.js";

const firstKey = randomBytes(32);
const secondKey = randomBytes(32);

/** The private column as stored, for every key row: what a database dump shows. */
async function storedPrivateKeys(database: Pick<Database, "read">) {
  return database.read<{ kid: string; stored: string }>(`SELECT kid, "privateJwk"::text AS stored FROM "SigningKey" ORDER BY "createdAt"`, []);
}

function expectSealed(rows: Array<{ kid: string; stored: string }>) {
  expect(rows.length).toBeGreaterThan(0);
  for (const row of rows) {
    expect(row.stored, row.kid).not.toMatch(/"(d|p|q|dp|dq|qi)"\s*:/);
    expect(JSON.parse(row.stored)).toMatchObject({ enc: "A256GCM", v: 1 });
  }
}

/** The start-up configuration of the test gateway with another KEY_ENCRYPTION_KEY (or none). */
function configWith(keyEncryptionKey: Buffer | null) {
  return loadConfig({
    PUBLIC_URL: testOrigin,
    USERGATE_BOOTSTRAP_CLIENT_ID: adminClient.clientId,
    USERGATE_BOOTSTRAP_CLIENT_SECRET: adminClient.clientSecret,
    ...(keyEncryptionKey ? { KEY_ENCRYPTION_KEY: keyEncryptionKey.toString("base64") } : {}),
  });
}

describe("a gateway with KEY_ENCRYPTION_KEY", () => {
  let gateway: TestGateway;
  let betaId: string;
  beforeAll(async () => {
    gateway = await startTestGateway({ KEY_ENCRYPTION_KEY: firstKey.toString("hex") });
    const created = await graphqlOk(
      gateway,
      await tokenFor(gateway),
      `mutation { createRealm(input: { name: "beta" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
    );
    betaId = created.createRealm.realm.id;
    const betaAdmin = { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret };
    // Beta's first key is made at its first token; the default realm's is rotated once.
    await tokenFor(gateway, betaAdmin, { realmId: betaId });
    await graphqlOk(gateway, await tokenFor(gateway), "mutation { rotateSigningKey { kid } }");
  });
  afterAll(() => gateway.close());

  it("stores every private key sealed, no private JWK member in clear, and its tokens verify", async () => {
    const rows = await storedPrivateKeys(gateway.database);
    expectSealed(rows);
    expect(rows.length).toBe(3);
    expect((await graphqlOk(gateway, await tokenFor(gateway), "{ realm { id } }")).realm.id).toBe(gateway.defaultRealmId);
  });

  it("stops a restart without KEY_ENCRYPTION_KEY, or with another one, with one line naming the variable", async () => {
    const missing = prepareDatabase(gateway.database, configWith(null));
    await expect(missing).rejects.toBeInstanceOf(KeyEncryptionError);
    await expect(missing).rejects.toThrow(/^signing key \S+ is encrypted but KEY_ENCRYPTION_KEY is not set$/);
    const wrong = prepareDatabase(gateway.database, configWith(secondKey));
    await expect(wrong).rejects.toThrow(/^signing key \S+ was encrypted with another KEY_ENCRYPTION_KEY \(fingerprint [0-9a-f]{16}\)$/);
    await expect(prepareDatabase(gateway.database, configWith(firstKey))).resolves.toBeTruthy();
  });

  it("moves every key to a new KEY_ENCRYPTION_KEY while the previous one still opens them (keys:encrypt)", async () => {
    const before = await storedPrivateKeys(gateway.database);
    const cipher = new PrivateKeyCipher({ current: secondKey, previous: firstKey });
    expect(await resealPrivateKeys(gateway.database.prisma, cipher)).toEqual({ sealed: 3, unchanged: 0 });
    expect(await resealPrivateKeys(gateway.database.prisma, cipher)).toEqual({ sealed: 0, unchanged: 3 });
    const after = await storedPrivateKeys(gateway.database);
    expectSealed(after);
    expect(after.map((row) => row.stored)).not.toContain(before[0]!.stored);
    await expect(prepareDatabase(gateway.database, configWith(secondKey))).resolves.toBeTruthy();
    await expect(prepareDatabase(gateway.database, configWith(firstKey))).rejects.toThrow(/another KEY_ENCRYPTION_KEY/);
  });
});

describe("a sealed private key", () => {
  const cipher = new PrivateKeyCipher({ current: firstKey, previous: null });

  it("opens only for the key row it was sealed for, and only unaltered", async () => {
    const { privateKey } = await generateKeyPair("ES256", { extractable: true });
    const jwk = await exportJWK(privateKey);
    const sealed = cipher.store("kid-a", jwk) as SealedPrivateKey;
    expect(JSON.stringify(sealed)).not.toContain(jwk.d);
    expect(cipher.open("kid-a", sealed)).toEqual(jwk);
    expect(() => cipher.open("kid-b", sealed)).toThrow(/^signing key kid-b failed decryption/);
    const ciphertext = Buffer.from(sealed.ct, "base64url");
    ciphertext[0]! ^= 1;
    expect(() => cipher.open("kid-a", { ...sealed, ct: ciphertext.toString("base64url") })).toThrow(/^signing key kid-a failed decryption/);
  });
});

describe("npm run keys:encrypt on an installation, as an operator runs it", { timeout: 180_000 }, () => {
  let workDir: string;
  let postgres: TestDatabase | null = null;
  /** DATA_DIR, or the URL of a database of this test on the PostgreSQL server. */
  let target: Record<string, string>;
  const startEnv = () => ({ ...target, PUBLIC_URL: testOrigin, USERGATE_BOOTSTRAP_CLIENT_ID: adminClient.clientId, USERGATE_BOOTSTRAP_CLIENT_SECRET: adminClient.clientSecret });

  /** The installation's database, opened while no gateway runs. */
  async function withInstallation<T>(use: (database: Database) => Promise<T>): Promise<T> {
    if (postgres) return use(postgres);
    const database = await openDatabase({ kind: "pglite", dataDir: target.DATA_DIR! });
    try {
      return await use(database);
    } finally {
      await database.close();
    }
  }

  beforeAll(async () => {
    workDir = await mkdtemp(path.join(tmpdir(), "usergate-keys-"));
    const database = await openTestDatabase();
    if (database.url) {
      postgres = database;
      target = { DATABASE_URL: database.url };
    } else {
      await database.close();
      target = { DATA_DIR: path.join(workDir, "data") };
    }
    // An installation from before encryption: what a start without KEY_ENCRYPTION_KEY leaves.
    await withInstallation((installed) => prepareDatabase(installed, configWith(null)));
  });
  afterAll(async () => {
    await postgres?.close();
    await rm(workDir, { recursive: true, force: true });
  });

  it("seals the plain keys; a restart with another key fails with one line, with the right key it signs and verifies", async () => {
    const plain = await withInstallation(storedPrivateKeys);
    expect(plain.length).toBeGreaterThan(0);
    expect(plain.every((row) => /"d"\s*:/.test(row.stored))).toBe(true);

    const encrypt = await runGatewayToExit({ ...target, KEY_ENCRYPTION_KEY: firstKey.toString("base64") }, "src/auth/encrypt-keys-cli.ts");
    expect(encrypt.code, encrypt.stderr).toBe(0);
    expect(encrypt.stdout).toBe(`usergate: encrypted ${plain.length} signing key(s); 0 already encrypted with KEY_ENCRYPTION_KEY\n`);
    expectSealed(await withInstallation(storedPrivateKeys));

    const wrong = await runGatewayToExit({ ...startEnv(), KEY_ENCRYPTION_KEY: secondKey.toString("base64") });
    expect(wrong.code).toBe(1);
    expect(wrong.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(/^usergate: signing key \S+ was encrypted with another KEY_ENCRYPTION_KEY \(fingerprint [0-9a-f]{16}\)$/),
    ]);

    const right = await spawnGateway({ ...startEnv(), KEY_ENCRYPTION_KEY: firstKey.toString("base64") });
    try {
      await right.listening;
      const issued = await fetch(`${right.baseUrl}/oauth/token`, {
        method: "POST",
        body: new URLSearchParams({ grant_type: "client_credentials", client_id: adminClient.clientId, client_secret: adminClient.clientSecret }),
      });
      const { access_token: token } = await issued.json();
      const answer = await fetch(`${right.baseUrl}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: "{ realm { name } }" }),
      });
      expect(await answer.json()).toEqual({ data: { realm: { name: "default" } } });
    } finally {
      expect(await right.stop()).toBe(0);
    }
  });
});
