// POST /oauth/token and /oauth2/{realm}/token (RFC 6749 §3.2, §5).
import { signAccessToken } from "./access-token.js";
import { OAuthError } from "./auth-errors.js";
import { clientCredentialsGrant } from "./client-credentials-grant.js";
import { passwordGrant, passwordRealmGrant, SignInLockedError } from "./password-grant.js";
import { refreshTokenGrant } from "./refresh-token-grant.js";
import type { AttemptOrigin, SignInDeps, TokenResponse } from "./sign-in.js";
import type { ThrottleSettings } from "./sign-in-throttle.js";
import { readTokenRequest, type TokenRequest } from "./token-request.js";

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

export type TokenEndpointDeps = SignInDeps & { throttle: ThrottleSettings };

export async function tokenEndpoint(deps: TokenEndpointDeps, realmId: string, request: Request, origin: AttemptOrigin): Promise<Response> {
  const usedBasic = /^Basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const tokenRequest = await readTokenRequest(request);
    const body = await grant(deps, realmId, tokenRequest, origin);
    return Response.json(body, { headers: noStore });
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const headers: Record<string, string> = { ...noStore };
    if (error.code === "invalid_client" && usedBasic) headers["www-authenticate"] = 'Basic realm="usergate"';
    if (error instanceof SignInLockedError) headers["retry-after"] = String(error.retryAfterSeconds);
    return Response.json({ error: error.code, error_description: error.description }, { status: error.status, headers });
  }
}

async function grant(deps: TokenEndpointDeps, realmId: string, request: TokenRequest, origin: AttemptOrigin): Promise<TokenResponse> {
  const grantType = request.params.get("grant_type");
  switch (grantType) {
    case undefined:
      throw new OAuthError("invalid_request", "The grant_type parameter is required");
    case "client_credentials": {
      const issued = await clientCredentialsGrant(deps.read, deps.settings, realmId, request.client, request.params);
      const scope = issued.scopes.join(" ");
      const accessToken = await signAccessToken(
        deps.keys,
        deps.settings,
        { sub: issued.subject, aud: issued.audience, client_id: issued.clientId, scope, realm: issued.realmId, gen: issued.tokenGeneration },
        issued.lifetimeSeconds,
      );
      return { access_token: accessToken, token_type: "Bearer", expires_in: issued.lifetimeSeconds, scope };
    }
    case "password":
    case passwordRealmGrant:
      return passwordGrant(deps, realmId, request, origin);
    case "refresh_token":
      return refreshTokenGrant(deps, realmId, request);
    default:
      throw new OAuthError("unsupported_grant_type", `The grant type ${grantType} is not supported`);
  }
}
