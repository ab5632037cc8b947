// Ceremony state without server memory: the options endpoint returns a ceremony token (a JWT
// signed with the realm's active key) holding the challenge, what the ceremony is for, the realm
// and, for registration, the user; the verify endpoint takes it back. It lives five minutes and
// is spent once: its jti goes into the PasskeyCeremony table, so a second use is refused on every
// replica. The signature counter alone would not do: synced passkeys always report counter 0.
import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { isUniqueViolation } from "../../db/unique-violation.js";
import type { PrismaClient } from "../../generated/prisma/client.js";
import { clockSkewSeconds } from "../access-token.js";
import { OAuthError } from "../auth-errors.js";
import { issuedFor } from "../compact-jws.js";
import { issuerFor, type IssuerSettings } from "../issuers.js";
import type { KeyStore } from "../signing-keys.js";

export const ceremonyLifetimeSeconds = 300;
export const ceremonyTokenType = "passkey-ceremony+jwt";

export type CeremonyPurpose = "register" | "authenticate";

export type Ceremony = {
  jti: string;
  challenge: string;
  purpose: CeremonyPurpose;
  realmId: string;
  /** The user registering a passkey; null for sign-in. */
  userId: string | null;
  /** The application a sign-in ceremony was started for; null for registration. */
  clientId: string | null;
  expiresAt: Date;
};

type Deps = { keys: KeyStore; settings: IssuerSettings };

const ceremonyAudience = (settings: IssuerSettings) => `${settings.publicUrl}/auth/passkeys`;

/** A ceremony token that is missing, forged, expired, spent, or for another ceremony. */
export class CeremonyError extends OAuthError {
  constructor(description: string) {
    super("invalid_grant", description);
  }
}

export async function signCeremony(
  deps: Deps,
  ceremony: { challenge: string; purpose: CeremonyPurpose; realmId: string; userId?: string; clientId?: string },
  lifetimeSeconds = ceremonyLifetimeSeconds,
): Promise<string> {
  return deps.keys.sign(ceremony.realmId, ceremonyTokenType, {
    challenge: ceremony.challenge,
    purpose: ceremony.purpose,
    realm: ceremony.realmId,
    ...(ceremony.clientId ? { client_id: ceremony.clientId } : {}),
    ...(ceremony.userId ? { sub: ceremony.userId } : {}),
    iss: issuerFor(deps.settings, ceremony.realmId),
    aud: ceremonyAudience(deps.settings),
    ...issuedFor(lifetimeSeconds),
    jti: randomUUID(),
  });
}

/** Checks the token against what the verify endpoint expects; does not spend it. */
export async function verifyCeremony(
  deps: Deps,
  token: string,
  expected: { purpose: CeremonyPurpose; realmId: string; userId?: string; clientId?: string },
): Promise<Ceremony> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new CeremonyError("The ceremony token is malformed");
  }
  const key = kid ? await deps.keys.verificationKey(expected.realmId, kid) : null;
  if (!key) throw new CeremonyError("The ceremony token was not signed by a key of this realm");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      typ: ceremonyTokenType,
      issuer: issuerFor(deps.settings, expected.realmId),
      audience: ceremonyAudience(deps.settings),
      clockTolerance: clockSkewSeconds,
      requiredClaims: ["iss", "aud", "exp", "iat", "jti", "challenge", "purpose", "realm"],
    }));
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new CeremonyError("The passkey ceremony expired; start again");
    if (error instanceof errors.JWTClaimValidationFailed && error.claim === "iss") {
      throw new CeremonyError("The ceremony token belongs to another realm");
    }
    throw new CeremonyError("The ceremony token is invalid");
  }
  if (payload.purpose !== expected.purpose) throw new CeremonyError(`The ceremony token is not for ${expected.purpose === "register" ? "registration" : "sign-in"}`);
  if (payload.realm !== expected.realmId) throw new CeremonyError("The ceremony token belongs to another realm");
  if (expected.userId !== undefined && payload.sub !== expected.userId) throw new CeremonyError("The ceremony token belongs to another user");
  if (expected.clientId !== undefined && payload.client_id !== expected.clientId) {
    throw new CeremonyError("The ceremony token was issued to another application");
  }
  if (typeof payload.challenge !== "string") throw new CeremonyError("The ceremony token is invalid");
  return {
    jti: payload.jti!,
    challenge: payload.challenge,
    purpose: expected.purpose,
    realmId: expected.realmId,
    userId: payload.sub ?? null,
    clientId: typeof payload.client_id === "string" ? payload.client_id : null,
    expiresAt: new Date(payload.exp! * 1000),
  };
}

/** Spends the ceremony: the first caller on any replica wins, every later one is refused. */
export async function spendCeremony(prisma: Pick<PrismaClient, "passkeyCeremony">, ceremony: Ceremony): Promise<void> {
  const now = new Date();
  // Spent ids are kept only while their token could still verify; drop the ones past that.
  await prisma.passkeyCeremony.deleteMany({ where: { expiresAt: { lt: new Date(now.getTime() - clockSkewSeconds * 1000) } } });
  try {
    await prisma.passkeyCeremony.create({
      data: { jti: ceremony.jti, expiresAt: new Date(ceremony.expiresAt.getTime() + clockSkewSeconds * 1000) },
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new CeremonyError("The passkey ceremony was already completed; start again");
    throw error;
  }
}
