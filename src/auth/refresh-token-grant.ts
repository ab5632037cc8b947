// The refresh_token grant (RFC 6749 §6) with rotation: every refresh spends the token and
// returns a new one, and the new access token carries the user's current roles and scopes.
import { OAuthError } from "./auth-errors.js";
import { authenticateClient, requireGrant } from "./client-authentication.js";
import { rotateRefreshToken } from "./refresh-tokens.js";
import { userTokens, type SignInDeps, type TokenResponse } from "./sign-in.js";
import type { TokenRequest } from "./token-request.js";
import { resolveUserGrant } from "./user-grant.js";

export async function refreshTokenGrant(deps: SignInDeps, realmId: string, request: TokenRequest): Promise<TokenResponse> {
  const client = await authenticateClient(deps.read, realmId, request.client);
  requireGrant(client, "refresh_token");
  const token = request.params.get("refresh_token");
  if (!token) throw new OAuthError("invalid_request", "The refresh_token parameter is required");
  const { session, user, refreshToken } = await rotateRefreshToken(deps, token, client.id);
  if (user.status === "suspended" || user.status === "inactive") {
    throw new OAuthError("invalid_grant", "The user may no longer sign in");
  }
  // A refresh may narrow the original scope, never widen it (RFC 6749 §6).
  const narrowed = request.params.get("scope");
  const original = session.requestedScope;
  if (narrowed !== undefined && original !== null) {
    const allowed = new Set(original.split(" "));
    const widened = narrowed.split(" ").filter((scope) => scope && !allowed.has(scope));
    if (widened.length > 0) throw new OAuthError("invalid_scope", `Not part of the original grant: ${widened.join(" ")}`);
  }
  const grant = await resolveUserGrant(deps.read, deps.settings, {
    realmId,
    userId: user.id,
    audience: session.audience,
    requestedScope: narrowed ?? original,
  });
  return userTokens(deps, { user, client, sessionId: session.id, authTime: session.createdAt, grant, refreshToken });
}
