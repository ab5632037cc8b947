// Token signing keys live in the database so every replica signs and verifies with the same
// set. Rotation retires the active key but keeps publishing it until no token it signed can
// still be valid; each process caches the set and reloads it periodically or on an unknown kid.
import { createPrivateKey, type JsonWebKey, type KeyObject } from "node:crypto";
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from "jose";
import { newId } from "../db/ids.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { compactJws } from "./compact-jws.js";

export const signingAlgorithms = ["ES256", "RS256", "EdDSA"] as const;
export type SigningAlgorithm = (typeof signingAlgorithms)[number];

/** Retired keys stay published this much longer than the longest token lifetime. */
const publicationMarginMs = 5 * 60_000;
const reloadEveryMs = 60_000;
const unknownKidReloadGapMs = 5_000;

type Db = Pick<PrismaClient, "signingKey" | "resource">;

async function newKeyRow(alg: SigningAlgorithm) {
  const { publicKey, privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === "EdDSA" ? "Ed25519" : undefined });
  const id = newId("signingKey");
  const kid = id.slice("key_".length);
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: "sig" };
  const privateJwk = { ...(await exportJWK(privateKey)), kid, alg };
  return { id, kid, alg, publicJwk, privateJwk };
}

/** Creates the first key; does nothing when an active key exists. */
export async function ensureSigningKey(db: Db, alg: SigningAlgorithm): Promise<void> {
  const active = await db.signingKey.findFirst({ where: { status: "active" } });
  if (!active) await db.signingKey.create({ data: await newKeyRow(alg) });
}

/** Retires the active keys and creates a new one; run it in a transaction. */
export async function rotateSigningKey(tx: Db, alg: SigningAlgorithm): Promise<{ kid: string; retired: string[] }> {
  const row = await newKeyRow(alg);
  const longest = await tx.resource.aggregate({ _max: { tokenLifetime: true } });
  const lifetimeMs = (longest._max.tokenLifetime ?? 3600) * 1000;
  const now = new Date();
  const active = await tx.signingKey.findMany({ where: { status: "active" }, select: { kid: true } });
  await tx.signingKey.updateMany({
    where: { status: "active" },
    data: { status: "retired", retiredAt: now, publishUntil: new Date(now.getTime() + lifetimeMs + publicationMarginMs) },
  });
  await tx.signingKey.create({ data: row });
  return { kid: row.kid, retired: active.map((key) => key.kid) };
}

type LoadedKey = { kid: string; alg: SigningAlgorithm; status: "active" | "retired"; publicJwk: JWK; publicKey: CryptoKey; privateKey: KeyObject | null };

export class KeyStore {
  private keys: LoadedKey[] = [];
  private loadedAt = 0;
  private loading: Promise<void> | null = null;

  constructor(private readonly db: Db) {}

  /** A compact JWS of the payload, signed with the newest active key (every token this process signs). */
  async sign(typ: string, payload: object): Promise<string> {
    await this.fresh();
    const key = this.keys.find((candidate) => candidate.status === "active" && candidate.privateKey);
    if (!key?.privateKey) throw new Error("no active signing key: the database was not prepared");
    return compactJws({ kid: key.kid, alg: key.alg, privateKey: key.privateKey }, typ, payload);
  }

  /** The key a token names in its header, or null; unknown kids trigger a (rate-limited) reload. */
  async verificationKey(kid: string): Promise<{ alg: SigningAlgorithm; publicKey: CryptoKey } | null> {
    await this.fresh();
    let key = this.keys.find((candidate) => candidate.kid === kid);
    if (!key && Date.now() - this.loadedAt > unknownKidReloadGapMs) {
      await this.reload();
      key = this.keys.find((candidate) => candidate.kid === kid);
    }
    return key ? { alg: key.alg, publicKey: key.publicKey } : null;
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    await this.fresh();
    return { keys: this.keys.map((key) => key.publicJwk) };
  }

  /** Forgets the cached set, e.g. after this process rotated the keys. */
  invalidate(): void {
    this.loadedAt = 0;
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
    this.keys = await Promise.all(
      rows.map(async (row) => {
        const alg = row.alg as SigningAlgorithm;
        return {
          kid: row.kid,
          alg,
          status: row.status,
          publicJwk: row.publicJwk as JWK,
          publicKey: (await importJWK(row.publicJwk as JWK, alg)) as CryptoKey,
          privateKey: row.status === "active" ? createPrivateKey({ key: row.privateJwk as JsonWebKey, format: "jwk" }) : null,
        };
      }),
    );
    this.loadedAt = Date.now();
  }
}
