// GET|POST /userinfo (OIDC Core §5.3, seed 002): the signed-in user's claims for a user access
// token, released by its `openid profile email phone` scopes. Machine tokens have no user.
import { decodeProtectedHeader, jwtVerify } from "jose";
import type { PrismaClient } from "../generated/prisma/client.js";
import { clockSkewSeconds } from "./access-token.js";
import { InvalidTokenError } from "./auth-errors.js";
import { issuerFor, type IssuerSettings } from "./issuers.js";
import { profileClaims } from "./profile-claims.js";
import type { SessionRevocation } from "./session-revocation.js";
import type { KeyStore } from "./signing-keys.js";

export type UserinfoDeps = { prisma: PrismaClient; keys: KeyStore; settings: IssuerSettings; sessions: SessionRevocation };

export async function userinfoEndpoint(deps: UserinfoDeps, request: Request): Promise<Response> {
  try {
    const token = bearerToken(request.headers.get("authorization"));
    const claims = await verifyUserAccessToken(deps, token);
    const scopes = new Set(claims.scope.split(" "));
    if (!scopes.has("openid")) {
      return Response.json(
        { error: "insufficient_scope", error_description: "The token was not granted the openid scope" },
        { status: 403, headers: { "www-authenticate": 'Bearer realm="usergate", error="insufficient_scope", scope="openid"' } },
      );
    }
    const user = await deps.prisma.user.findFirst({ where: { id: claims.sub, realmId: claims.realm } });
    if (!user) throw new InvalidTokenError("The user of this token no longer exists");
    return Response.json(profileClaims(user, scopes), { headers: { "cache-control": "no-store" } });
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    return Response.json(
      { error: "invalid_token", error_description: error.description },
      { status: 401, headers: { "www-authenticate": `Bearer realm="usergate", error="invalid_token"` } },
    );
  }
}

function bearerToken(authorization: string | null): string {
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? "");
  if (!match) throw new InvalidTokenError("A user access token is required as 'Authorization: Bearer <token>'");
  return match[1]!;
}

/** A user access token of any API of the realm: signature, issuer, expiry, live session. */
async function verifyUserAccessToken(deps: UserinfoDeps, token: string) {
  let kid: string | undefined;
  try {
    kid = decodeProtectedHeader(token).kid;
  } catch {
    throw new InvalidTokenError("The access token is malformed");
  }
  const key = kid ? await deps.keys.verificationKey(kid) : null;
  if (!key) throw new InvalidTokenError("The access token was not signed by a key of this server");
  let payload;
  try {
    ({ payload } = await jwtVerify(token, key.publicKey, {
      algorithms: [key.alg],
      typ: "at+jwt",
      clockTolerance: clockSkewSeconds,
      requiredClaims: ["iss", "sub", "exp", "realm", "scope"],
    }));
  } catch {
    throw new InvalidTokenError("The access token is invalid or expired");
  }
  const { realm, sid, sub, scope } = payload as { realm?: unknown; sid?: unknown; sub?: unknown; scope?: unknown };
  if (typeof realm !== "string" || payload.iss !== issuerFor(deps.settings, realm)) {
    throw new InvalidTokenError("The access token was issued for another realm or issuer");
  }
  if (typeof sid !== "string" || typeof sub !== "string") throw new InvalidTokenError("This is not a user's access token");
  if (!(await deps.sessions.isActive(sid))) throw new InvalidTokenError("The session of this token has ended");
  return { realm, sub, scope: typeof scope === "string" ? scope : "" };
}
