// GET|POST /userinfo (OIDC Core §5.3, seed 002): the signed-in user's claims for a user access
// token, released by its `openid profile email phone` scopes. Machine tokens have no user.
import type { PrismaClient } from "../generated/prisma/client.js";
import { verifyAccessToken } from "./access-token.js";
import { InvalidTokenError } from "./auth-errors.js";
import type { IssuerSettings } from "./issuers.js";
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

/** A user access token of any API of the realm, whose session is still active. */
async function verifyUserAccessToken(deps: UserinfoDeps, token: string) {
  const claims = await verifyAccessToken(deps.keys, deps.settings, token, null);
  if (!claims.sid) throw new InvalidTokenError("This is not a user's access token");
  if (!(await deps.sessions.isActive(claims.sid))) throw new InvalidTokenError("The session of this token has ended");
  return claims;
}
