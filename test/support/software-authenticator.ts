// A WebAuthn authenticator in software, for tests that drive the real ceremonies: a P-256 key
// pair per credential, real clientDataJSON, "none" attestation objects with authenticator data and
// a COSE public key, and assertions signed (DER ECDSA) over authenticatorData ‖ SHA-256(clientDataJSON),
// exactly what a browser hands to navigator.credentials.create()/get() callers.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from "node:crypto";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
} from "@simplewebauthn/server";

type CBOR = Parameters<typeof isoCBOR.encode>[0];

const flags = { userPresent: 0x01, userVerified: 0x04, attestedCredentialData: 0x40 };
const coseP256 = { kty: 1, alg: 3, crv: -1, x: -2, y: -3, EC2: 2, ES256: -7, P256: 1 };

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");
const sha256 = (data: Uint8Array | string) => createHash("sha256").update(data).digest();
const uint32 = (value: number) => {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32BE(value >>> 0);
  return bytes;
};

/** What a ceremony may be told to get wrong, as a misbehaving or malicious client would. */
export type CeremonyOverrides = {
  /** The page's origin reported in clientDataJSON (default: the authenticator's origin). */
  origin?: string;
  /** Replace the challenge the options carried. */
  challenge?: string;
  /** Report this signature counter instead of the next one. */
  counter?: number;
  /** Leave out user verification (UV flag). */
  userVerified?: boolean;
};

export type SoftwareCredential = {
  id: Uint8Array;
  rpId: string;
  userHandle: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  counter: number;
};

export class SoftwareAuthenticator {
  /** Credentials created on this authenticator, newest last. */
  readonly credentials: SoftwareCredential[] = [];

  constructor(
    /** The origin of the page the ceremonies run on. */
    readonly origin: string,
    /** Start counters here; 0 behaves like synced passkeys that never count. */
    private readonly options: { countFrom?: number; counts?: boolean } = {},
  ) {}

  /** navigator.credentials.create(): a new credential, answered as RegistrationResponseJSON. */
  create(options: PublicKeyCredentialCreationOptionsJSON, overrides: CeremonyOverrides = {}): RegistrationResponseJSON {
    if (!options.pubKeyCredParams.some((param) => param.alg === coseP256.ES256)) throw new Error("ES256 is not offered");
    const rpId = options.rp.id ?? new URL(this.origin).hostname;
    const excluded = new Set((options.excludeCredentials ?? []).map((credential) => credential.id));
    if (this.credentials.some((credential) => credential.rpId === rpId && excluded.has(b64url(credential.id)))) {
      throw new Error("InvalidStateError: a credential of this authenticator is excluded");
    }
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-256" });
    const credential: SoftwareCredential = {
      id: randomBytes(32),
      rpId,
      userHandle: options.user.id,
      privateKey,
      publicKey,
      counter: this.options.countFrom ?? 0,
    };
    this.credentials.push(credential);

    const clientDataJSON = this.clientData("webauthn.create", overrides.challenge ?? options.challenge, overrides.origin);
    const jwk = publicKey.export({ format: "jwk" });
    const cosePublicKey: CBOR = new Map<number, CBOR>([
      [coseP256.kty, coseP256.EC2],
      [coseP256.alg, coseP256.ES256],
      [coseP256.crv, coseP256.P256],
      [coseP256.x, Buffer.from(jwk.x!, "base64url")],
      [coseP256.y, Buffer.from(jwk.y!, "base64url")],
    ]);
    const credentialIdLength = Buffer.alloc(2);
    credentialIdLength.writeUInt16BE(credential.id.length);
    const authenticatorData = Buffer.concat([
      sha256(rpId),
      Buffer.of(this.flagsFor(overrides) | flags.attestedCredentialData),
      uint32(overrides.counter ?? credential.counter),
      Buffer.alloc(16), // AAGUID: zeros, as "none" attestation reports
      credentialIdLength,
      credential.id,
      isoCBOR.encode(cosePublicKey),
    ]);
    const attestationObject = isoCBOR.encode(
      new Map<string, CBOR>([
        ["fmt", "none"],
        ["attStmt", new Map<string, CBOR>()],
        ["authData", authenticatorData],
      ]),
    );
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ["internal", "hybrid"],
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  /**
   * navigator.credentials.get(): an assertion by the credential the options allow (or, for a
   * discoverable request, the newest one for the RP), answered as AuthenticationResponseJSON.
   */
  get(
    options: PublicKeyCredentialRequestOptionsJSON,
    overrides: CeremonyOverrides & { credential?: SoftwareCredential } = {},
  ): AuthenticationResponseJSON {
    const rpId = options.rpId ?? new URL(this.origin).hostname;
    const allowed = new Set((options.allowCredentials ?? []).map((credential) => credential.id));
    const candidates = this.credentials.filter(
      (credential) => credential.rpId === rpId && (allowed.size === 0 || allowed.has(b64url(credential.id))),
    );
    const credential = overrides.credential ?? candidates[candidates.length - 1];
    if (!credential) throw new Error("NotAllowedError: no credential of this authenticator is allowed");
    if (this.options.counts !== false) credential.counter += 1;

    const clientDataJSON = this.clientData("webauthn.get", overrides.challenge ?? options.challenge, overrides.origin);
    const authenticatorData = Buffer.concat([
      sha256(credential.rpId),
      Buffer.of(this.flagsFor(overrides)),
      uint32(overrides.counter ?? credential.counter),
    ]);
    // ECDSA over authenticatorData ‖ SHA-256(clientDataJSON); node:crypto answers DER, as WebAuthn wants.
    const signature = sign("sha256", Buffer.concat([authenticatorData, sha256(clientDataJSON)]), credential.privateKey);
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: "public-key",
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authenticatorData),
        signature: b64url(signature),
        userHandle: credential.userHandle,
      },
      authenticatorAttachment: "platform",
      clientExtensionResults: {},
    };
  }

  private clientData(type: "webauthn.create" | "webauthn.get", challenge: string, origin = this.origin): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  private flagsFor(overrides: CeremonyOverrides): number {
    return flags.userPresent | (overrides.userVerified === false ? 0 : flags.userVerified);
  }
}
