// Authorization server metadata (RFC 8414) and its OpenID Connect Discovery twin.
import type { SigningAlgorithm } from "../config.js";
import { managementScopes } from "../services/management-api.js";
import { issuerFor, type IssuerSettings } from "./issuers.js";

/** Where a realm's endpoints live: the root for the default realm, /oauth2/{realm} otherwise. */
function endpointBase(settings: IssuerSettings, realmId: string): string {
  return realmId === settings.defaultRealmId ? settings.publicUrl : `${settings.publicUrl}/oauth2/${realmId}`;
}

export function authorizationServerMetadata(settings: IssuerSettings, realmId: string, alg: SigningAlgorithm) {
  const base = endpointBase(settings, realmId);
  return {
    issuer: issuerFor(settings, realmId),
    token_endpoint: realmId === settings.defaultRealmId ? `${base}/oauth/token` : `${base}/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    userinfo_endpoint: `${settings.publicUrl}/userinfo`,
    grant_types_supported: ["client_credentials", "password", "refresh_token", "http://auth0.com/oauth/grant-type/password-realm"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    response_types_supported: ["token"],
    scopes_supported: ["openid", "profile", "email", "phone", "offline_access", ...managementScopes.map((scope) => scope.name)],
    claims_supported: ["sub", "name", "given_name", "family_name", "nickname", "preferred_username", "picture", "email", "email_verified", "phone_number", "updated_at", "roles", "sid"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: [alg],
    access_token_signing_alg_values_supported: [alg],
  };
}
