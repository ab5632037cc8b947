// POST /oauth/token and /oauth2/{realm}/token (RFC 6749 §3.2, §5).
import type { PrismaClient } from "../generated/prisma/client.js";
import { signAccessToken } from "./access-token.js";
import { OAuthError } from "./auth-errors.js";
import { clientCredentialsGrant } from "./client-credentials-grant.js";
import type { IssuerSettings } from "./issuers.js";
import type { KeyStore } from "./signing-keys.js";
import { readTokenRequest } from "./token-request.js";

const noStore = { "cache-control": "no-store", pragma: "no-cache" };

export type TokenEndpointDeps = { prisma: PrismaClient; keys: KeyStore; settings: IssuerSettings };

export async function tokenEndpoint(deps: TokenEndpointDeps, realmId: string, request: Request): Promise<Response> {
  const usedBasic = /^Basic /i.test(request.headers.get("authorization") ?? "");
  try {
    const { params, client } = await readTokenRequest(request);
    const grantType = params.get("grant_type");
    if (!grantType) throw new OAuthError("invalid_request", "The grant_type parameter is required");
    if (grantType !== "client_credentials") {
      throw new OAuthError("unsupported_grant_type", `The grant type ${grantType} is not supported`);
    }
    const grant = await clientCredentialsGrant(deps.prisma, deps.settings, realmId, client, params);
    const scope = grant.scopes.join(" ");
    const accessToken = await signAccessToken(
      deps.keys,
      deps.settings,
      { sub: grant.subject, aud: grant.audience, client_id: grant.clientId, scope, realm: grant.realmId },
      grant.lifetimeSeconds,
    );
    return Response.json(
      { access_token: accessToken, token_type: "Bearer", expires_in: grant.lifetimeSeconds, scope },
      { headers: noStore },
    );
  } catch (error) {
    if (!(error instanceof OAuthError)) throw error;
    const headers: Record<string, string> = { ...noStore };
    if (error.code === "invalid_client" && usedBasic) headers["www-authenticate"] = 'Basic realm="usergate"';
    return Response.json({ error: error.code, error_description: error.description }, { status: error.status, headers });
  }
}
