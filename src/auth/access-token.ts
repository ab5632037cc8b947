// RFC 9068 JWT access tokens: signed with the active key, verified with the algorithm the
// key was made for (never the one the token claims), the realm's issuer and our audiences.
import { randomUUID } from "node:crypto";
import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
import { issuedFor } from "./compact-jws.js";
import { InvalidTokenError } from "./auth-errors.js";
import { issuerFor, type IssuerSettings } from "./issuers.js";
import type { KeyStore } from "./signing-keys.js";

/** Tolerated clock difference between replicas and resource servers. */
export const clockSkewSeconds = 30;

export type AccessTokenClaims = {
  sub: string;
  aud: string;
  client_id: string;
  scope: string;
  realm: string;
  /** The user's session, for user tokens (checked against revocation). */
  sid?: string;
  /** When the user signed in to start the session (epoch seconds), for user tokens. */
  auth_time?: number;
  /** The application's token generation, for application tokens (checked against revocation). */
  gen?: number;
};

export type VerifiedAccessToken = AccessTokenClaims & { iss: string; exp: number; iat: number; jti: string };

export async function signAccessToken(
  keys: KeyStore,
  settings: IssuerSettings,
  claims: AccessTokenClaims & Record<string, unknown>,
  lifetimeSeconds: number,
): Promise<string> {
  return keys.sign("at+jwt", { ...claims, iss: issuerFor(settings, claims.realm), ...issuedFor(lifetimeSeconds), jti: randomUUID() });
}

export async function verifyAccessToken(
  keys: KeyStore,
  settings: IssuerSettings,
  token: string,
  /** Accepted audiences; null accepts any (the caller checks what it needs, e.g. /userinfo). */
  audiences: string[] | null,
): Promise<VerifiedAccessToken> {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new InvalidTokenError("The access token is malformed");
  }
  const key = kid ? await keys.verificationKey(kid) : null;
  if (!key) throw new InvalidTokenError("The access token was not signed by a key of this server");
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      typ: "at+jwt",
      ...(audiences ? { audience: audiences } : {}),
      clockTolerance: clockSkewSeconds,
      requiredClaims: ["iss", "sub", "exp", "iat", "jti", "client_id", "realm"],
    }));
  } catch (error) {
    throw new InvalidTokenError(describeVerificationFailure(error));
  }
  if (typeof payload.realm !== "string" || payload.iss !== issuerFor(settings, payload.realm)) {
    throw new InvalidTokenError("The access token was issued for another realm or issuer");
  }
  return payload as unknown as VerifiedAccessToken;
}

function describeVerificationFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return "The access token expired";
  if (error instanceof errors.JWTClaimValidationFailed) {
    return error.claim === "aud" ? "The access token is for another audience" : `The access token's ${error.claim} claim is invalid`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return "The access token signature is invalid";
  if (error instanceof errors.JOSEAlgNotAllowed) return "The access token uses an algorithm this server does not accept";
  return "The access token is invalid";
}
