// Token signing keys live in the database so every replica signs and verifies with the same
// set. Each realm has keys of its own: a token verifies only with a key of the realm it claims,
// so no realm can mint a token another realm (or an API trusting its JWKS) accepts. Rotation
// retires a realm's active key but keeps publishing it until no token it signed can still be
// valid; each process caches the published keys and reloads them periodically or on an unknown kid.
import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import type { SigningAlgorithm } from "../config.js";
import { newId } from "../db/ids.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { compactJws } from "./compact-jws.js";
import type { PrivateKeyCipher } from "./private-key-encryption.js";


/** How new keys are made and stored: the configured algorithm, sealed when encryption is on. */
export type KeyMaking = { alg: SigningAlgorithm; cipher: PrivateKeyCipher };

/** Retired keys stay published this much longer than the realm's longest token lifetime. */
const publicationMarginMs = 5 * 60_000;
const reloadEveryMs = 60_000;
const unknownKidReloadGapMs = 5_000;

type Db = Pick<PrismaClient, "signingKey" | "resource">;

async function newKeyRow(realmId: string, { alg, cipher }: KeyMaking) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === "EdDSA" ? "Ed25519" : undefined });
  const id = newId("signingKey");
  const kid = id.slice("key_".length);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const privateJwk = cipher.store(kid, { ...(await exportJWK(privateKey)), kid, alg });
  return { id, realmId, kid, alg, publicJwk, privateJwk };
}

/** Creates the realm's first key; does nothing when it has an active key. */
export async function ensureSigningKey(db: Pick<Db, "signingKey">, realmId: string, making: KeyMaking): Promise<void> {
  const active = await db.signingKey.findFirst({ where: { realmId, status: "active" }, select: { id: true } });
  if (!active) await db.signingKey.create({ data: await newKeyRow(realmId, making) });
}

/** Fails when an active key's private part cannot be read: at start-up, not at the first sign-in. */
export async function checkActiveKeysReadable(db: Pick<Db, "signingKey">, cipher: PrivateKeyCipher): Promise<void> {
  const active = await db.signingKey.findMany({ where: { status: "active" }, select: { kid: true, privateJwk: true } });
  for (const key of active) cipher.open(key.kid, key.privateJwk);
}

/**
 * Seals every stored private key (retired ones too: they could still sign) with the current
 * KEY_ENCRYPTION_KEY: plain ones and those sealed with the previous key. Run it in a transaction.
 */
export async function resealPrivateKeys(db: Pick<Db, "signingKey">, cipher: PrivateKeyCipher): Promise<{ sealed: number; unchanged: number }> {
  const rows = await db.signingKey.findMany({ select: { id: true, kid: true, privateJwk: true }, orderBy: { createdAt: "asc" } });
  let sealed = 0;
  for (const row of rows) {
    const privateJwk = cipher.reseal(row.kid, row.privateJwk);
    if (!privateJwk) continue;
    await db.signingKey.update({ where: { id: row.id }, data: { privateJwk } });
    sealed += 1;
  }
  return { sealed, unchanged: rows.length - sealed };
}

/** Retires the realm's active keys and creates a new one; run it in a transaction. */
export async function rotateSigningKey(tx: Db, realmId: string, making: KeyMaking): Promise<{ kid: string; retired: string[] }> {
  const row = await newKeyRow(realmId, making);
  const longest = await tx.resource.aggregate({ where: { realmId }, _max: { tokenLifetime: true } });
  const lifetimeMs = (longest._max.tokenLifetime ?? 3600) * 1000;
  const now = new Date();
  const active = await tx.signingKey.findMany({ where: { realmId, status: "active" }, select: { kid: true } });
  await tx.signingKey.updateMany({
    where: { realmId, status: "active" },
    data: { status: "retired", retiredAt: now, publishUntil: new Date(now.getTime() + lifetimeMs + publicationMarginMs) },
  });
  await tx.signingKey.create({ data: row });
  return { kid: row.kid, retired: active.map((key) => key.kid) };
}

type PublishedKey = {
  kid: string;
  realmId: string;
  alg: SigningAlgorithm;
  status: "active" | "retired";
  publicJwk: JWK;
  publicKey: CryptoKey;
  /** An active key's stored private part, opened on its first signature. */
  storedPrivate: unknown;
  privateKey: KeyObject | null;
};

export class KeyStore {
  /** Every realm's published keys by kid, newest first. */
  private keys = new Map<string, PublishedKey>();
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(
    private readonly db: Pick<Db, "signingKey">,
    private readonly making: KeyMaking,
  ) {}

  /** A compact JWS of the payload, signed with the realm's newest active key. */
  async sign(realmId: string, typ: string, payload: object): Promise<string> {
    const key = await this.activeKey(realmId);
    key.privateKey ??= createPrivateKey({ key: this.making.cipher.open(key.kid, key.storedPrivate) as JsonWebKey, format: "jwk" });
    return compactJws({ kid: key.kid, alg: key.alg, privateKey: key.privateKey }, typ, payload);
  }

  /**
   * The key a token names in its header if it is a key of the realm the token claims, else null.
   * Unknown kids trigger a (rate-limited) reload; a kid of another realm is no key of this one.
   */
  async verificationKey(realmId: string, kid: string): Promise<{ alg: SigningAlgorithm; publicKey: CryptoKey } | null> {
    await this.fresh();
    let key = this.keys.get(kid);
    if (!key && Date.now() - this.loadedAt > unknownKidReloadGapMs) {
      await this.reload();
      key = this.keys.get(kid);
    }
    return key && key.realmId === realmId ? { alg: key.alg, publicKey: key.publicKey } : null;
  }

  /** The realm's JWKS: its own keys only. A new realm gets its key here if it has none yet. */
  async jwks(realmId: string): Promise<{ keys: JWK[] }> {
    await this.activeKey(realmId);
    return { keys: [...this.keys.values()].filter((key) => key.realmId === realmId).map((key) => key.publicJwk) };
  }

  /** Forgets the cached set, e.g. after this process rotated the keys. */
  invalidate(): void {
    this.loadedAt = 0;
  }

  private findActive(realmId: string): PublishedKey | undefined {
    for (const key of this.keys.values()) if (key.realmId === realmId && key.status === "active") return key;
    return undefined;
  }

  /** Realms created after start-up get their first key when they first sign or publish. */
  private async activeKey(realmId: string): Promise<PublishedKey> {
    await this.fresh();
    let key = this.findActive(realmId);
    if (!key) {
      await ensureSigningKey(this.db, realmId, this.making);
      await this.reload();
      key = this.findActive(realmId);
      if (!key) {
        // A load already running when the key was created may have missed it; the next one cannot.
        await this.reload();
        key = this.findActive(realmId);
      }
    }
    if (!key) throw new Error(`realm ${realmId} has no active signing key`);
    return key;
  }

  private async fresh(): Promise<void> {
    if (Date.now() - this.loadedAt > reloadEveryMs) await this.reload();
  }

  private reload(): Promise<void> {
    this.loading ??= this.load().finally(() => {
      this.loading = null;
    });
    return this.loading;
  }

  private async load(): Promise<void> {
    const rows = await this.db.signingKey.findMany({
      where: { OR: [{ status: "active" }, { publishUntil: { gt: new Date() } }] },
      orderBy: { createdAt: "desc" },
    });
    // Keys already imported are kept: a reload costs one query, not an import per key and realm.
    const previous = this.keys;
    const loaded = await Promise.all(
      rows.map(async (row): Promise<PublishedKey> => {
        const alg = row.alg as SigningAlgorithm;
        const known = previous.get(row.kid);
        const active = row.status === "active";
        return {
          kid: row.kid,
          realmId: row.realmId,
          alg,
          status: row.status,
          publicJwk: row.publicJwk as JWK,
          publicKey: known?.publicKey ?? ((await importJWK(row.publicJwk as JWK, alg)) as CryptoKey),
          storedPrivate: active ? row.privateJwk : null,
          privateKey: active ? (known?.privateKey ?? null) : null,
        };
      }),
    );
    this.keys = new Map(loaded.map((key) => [key.kid, key]));
    this.loadedAt = Date.now();
  }
}
