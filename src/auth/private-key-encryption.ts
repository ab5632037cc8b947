// Private signing keys at rest: with KEY_ENCRYPTION_KEY set, each private JWK is stored as an
// AES-256-GCM envelope instead of the JWK itself, so a database dump alone cannot mint tokens.
// Plain and sealed rows coexist (`npm run keys:encrypt` seals the plain ones); the envelope names
// the key that sealed it, so a wrong or missing KEY_ENCRYPTION_KEY is told apart from tampering.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import type { JWK } from "jose";
import type { KeyEncryptionKeys } from "../config.js";

/** The stored form of a sealed private JWK; `enc` is what tells it from a plain JWK. */
export type SealedPrivateKey = { enc: "A256GCM"; v: 1; kek: string; iv: string; ct: string; tag: string };


/** A signing key's private part cannot be read with the configured KEY_ENCRYPTION_KEY. */
export class KeyEncryptionError extends Error {
  override name = "KeyEncryptionError";
}

export function isSealed(stored: unknown): stored is SealedPrivateKey {
  return typeof stored === "object" && stored !== null && "enc" in stored;
}

/** Names an encryption key without revealing it: the first 8 bytes of its SHA-256, hex. */
function fingerprint(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export class PrivateKeyCipher {
  constructor(private readonly keys: KeyEncryptionKeys | null) {}

  get encrypts(): boolean {
    return this.keys !== null;
  }

  /** What to store for a new private key: sealed when a KEY_ENCRYPTION_KEY is set. */
  store(kid: string, privateJwk: JWK): JWK | SealedPrivateKey {
    return this.keys ? seal(this.keys.current, kid, privateJwk) : privateJwk;
  }

  /** The private JWK of a stored row; the kid is authenticated, so rows cannot swap envelopes. */
  open(kid: string, stored: unknown): JWK {
    if (!isSealed(stored)) return stored as JWK;
    if (stored.v !== 1 || stored.enc !== "A256GCM") {
      throw new KeyEncryptionError(`signing key ${kid} is sealed in a format this version does not read (${stored.enc} v${stored.v})`);
    }
    if (!this.keys) {
      throw new KeyEncryptionError(`signing key ${kid} is encrypted but KEY_ENCRYPTION_KEY is not set`);
    }
    const key = [this.keys.current, this.keys.previous].find((candidate) => candidate && fingerprint(candidate) === stored.kek);
    if (!key) {
      throw new KeyEncryptionError(`signing key ${kid} was encrypted with another KEY_ENCRYPTION_KEY (fingerprint ${stored.kek})`);
    }
    try {
      const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(stored.iv, "base64url"));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(stored.tag, "base64url"));
      const plain = Buffer.concat([decipher.update(Buffer.from(stored.ct, "base64url")), decipher.final()]);
      return JSON.parse(plain.toString("utf8")) as JWK;
    } catch {
      throw new KeyEncryptionError(`signing key ${kid} failed decryption: its stored envelope was altered`);
    }
  }

  /** The stored form under the current KEY_ENCRYPTION_KEY, or null when the row already has it. */
  reseal(kid: string, stored: unknown): SealedPrivateKey | null {
    if (!this.keys) throw new KeyEncryptionError("KEY_ENCRYPTION_KEY is not set");
    if (isSealed(stored) && stored.kek === fingerprint(this.keys.current)) return null;
    return seal(this.keys.current, kid, this.open(kid, stored));
  }
}

function seal(key: Buffer, kid: string, privateJwk: JWK): SealedPrivateKey {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key, iv);
  cipher.setAAD(Buffer.from(kid));
  const ct = Buffer.concat([cipher.update(JSON.stringify(privateJwk), "utf8"), cipher.final()]);
  return {
    enc: "A256GCM",
    v: 1,
    kek: fingerprint(key),
    iv: iv.toString("base64url"),
    ct: ct.toString("base64url"),
    tag: cipher.getAuthTag().toString("base64url"),
  };
}
