// POST /tokeninfo (seed 002): takes an ID token, verifies it, and returns the user's profile.
import type { PrismaClient } from "../generated/prisma/client.js";
import { InvalidTokenError, OAuthError } from "./auth-errors.js";
import { verifyIdToken } from "./id-token.js";
import type { IssuerSettings } from "./issuers.js";
import { profileClaims } from "./profile-claims.js";
import type { KeyStore } from "./signing-keys.js";
import { readTokenRequest } from "./token-request.js";

const everyProfileScope = new Set(["profile", "email", "phone"]);

export async function tokeninfoEndpoint(deps: { prisma: PrismaClient; keys: KeyStore; settings: IssuerSettings }, request: Request) {
  try {
    const { params } = await readTokenRequest(request);
    const idToken = params.get("id_token");
    if (!idToken) throw new InvalidTokenError("The id_token parameter is required");
    const claims = await verifyIdToken(deps.keys, deps.settings, idToken);
    // Only an ID token issued to one of the realm's own applications, for a user that still exists.
    const [client, user] = await Promise.all([
      deps.prisma.application.findUnique({ where: { clientId: claims.aud }, select: { realmId: true } }),
      deps.prisma.user.findFirst({ where: { id: String(claims.sub), realmId: claims.realm } }),
    ]);
    if (!client || client.realmId !== claims.realm || !user) throw new InvalidTokenError("The ID token's user or client is unknown");
    return Response.json(
      { ...profileClaims(user, everyProfileScope), user_id: `${user.connection}|${user.id}`, created_at: user.createdAt.toISOString() },
      { headers: { "cache-control": "no-store" } },
    );
  } catch (error) {
    if (error instanceof InvalidTokenError) {
      return Response.json({ error: "invalid_token", error_description: error.description }, { status: 401 });
    }
    if (error instanceof OAuthError) {
      return Response.json({ error: error.code, error_description: error.description }, { status: 400 });
    }
    throw error;
  }
}
