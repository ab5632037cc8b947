// RFC 9068 JWT access tokens: signed with the realm's active key, verified with a key of the
// realm the token claims and the algorithm that key was made for (never the one the token
// claims), then against that realm's issuer and our audiences.
import { randomUUID } from "node:crypto";
import { decodeJwt, decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from "jose";
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
  return keys.sign(claims.realm, "at+jwt", { ...claims, iss: issuerFor(settings, claims.realm), ...issuedFor(lifetimeSeconds), jti: randomUUID() });
}

export async function verifyAccessToken(
  keys: KeyStore,
  settings: IssuerSettings,
  token: string,
  /** Accepted audiences; null accepts any (the caller checks what it needs, e.g. /userinfo). */
  audiences: string[] | null,
): Promise<VerifiedAccessToken> {
  const { kid, realm } = claimedKey(token, "access token");
  if (!realm) throw new InvalidTokenError("The access token names no realm");
  const key = kid ? await keys.verificationKey(realm, kid) : null;
  if (!key) throw new InvalidTokenError("The access token was not signed by a key of its realm");
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
  if (payload.iss !== issuerFor(settings, realm)) {
    throw new InvalidTokenError("The access token was issued for another realm or issuer");
  }
  return payload as unknown as VerifiedAccessToken;
}

/** What a token says about its key before it is verified: the kid and the realm whose keys to try. */
export function claimedKey(token: string, what: string): { kid: string | undefined; realm: string | undefined } {
  try {
    const { realm } = decodeJwt(token);
    return { kid: decodeProtectedHeader(token).kid, realm: typeof realm === "string" ? realm : undefined };
  } catch {
    throw new InvalidTokenError(`The ${what} is malformed`);
  }
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
