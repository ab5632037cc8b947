// OpenID Connect ID tokens: signed with the same keys as access tokens, but typed `JWT` and
// addressed to the client, so one can never be used in place of the other.
import { jwtVerify, type JWTPayload } from "jose";
import { claimedKey, clockSkewSeconds } from "./access-token.js";
import { InvalidTokenError } from "./auth-errors.js";
import { issuedFor } from "./compact-jws.js";
import { issuerFor, type IssuerSettings } from "./issuers.js";
import type { KeyStore } from "./signing-keys.js";

export const idTokenLifetimeSeconds = 3600;

export async function signIdToken(
  keys: KeyStore,
  settings: IssuerSettings,
  input: { realmId: string; clientId: string; sessionId: string; authTime: Date; claims: Record<string, unknown> },
): Promise<string> {
  return keys.sign(input.realmId, "JWT", {
    ...input.claims,
    sid: input.sessionId,
    auth_time: Math.floor(input.authTime.getTime() / 1000),
    realm: input.realmId,
    iss: issuerFor(settings, input.realmId),
    aud: input.clientId,
    ...issuedFor(idTokenLifetimeSeconds),
  });
}

/** Verifies an ID token of this gateway; the caller checks that its audience is a known client. */
export async function verifyIdToken(keys: KeyStore, settings: IssuerSettings, token: string): Promise<JWTPayload & { realm: string; aud: string }> {
  const { kid, realm } = claimedKey(token, "ID token");
  const key = kid && realm !== undefined ? await keys.verificationKey(realm, kid) : null;
  if (!key || realm === undefined) throw new InvalidTokenError("The ID token was not signed by a key of its realm");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      typ: "JWT",
      clockTolerance: clockSkewSeconds,
      requiredClaims: ["iss", "sub", "aud", "exp", "iat", "realm"],
    }));
  } catch {
    throw new InvalidTokenError("The ID token is invalid or expired");
  }
  if (typeof payload.aud !== "string" || payload.iss !== issuerFor(settings, realm)) {
    throw new InvalidTokenError("The ID token was issued for another realm or issuer");
  }
  return payload as JWTPayload & { realm: string; aud: string };
}
