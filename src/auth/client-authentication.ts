// Who is asking for a token (RFC 6749 §2.3): confidential clients prove it with their secret,
// public clients (spa, native: no secret to keep) only name themselves.
import { prepared, type SqlReader } from "../db/sql-reader.js";
import { OAuthError } from "./auth-errors.js";
import { verifySecret } from "../services/secrets.js";
import type { TokenRequest } from "./token-request.js";

export type AuthenticatedClient = {
  id: string;
  clientId: string;
  realmId: string;
  type: "spa" | "native" | "web" | "m2m";
  grantTypes: string[];
  /** The generation its access tokens are issued under (services/application-tokens.ts). */
  tokenGeneration: number;
};

const applicationByClientId = prepared(
  `SELECT id, "clientId", "realmId", type, "grantTypes", "tokenGeneration", "clientSecretHash" FROM "Application" WHERE "clientId" = $1`,
);

export async function authenticateClient(read: SqlReader, realmId: string, client: TokenRequest["client"]): Promise<AuthenticatedClient> {
  if (!client) throw new OAuthError("invalid_client", "Client authentication is required", 401);
  const [application = null] = await read<AuthenticatedClient & { clientSecretHash: string | null }>(applicationByClientId, [client.clientId]);
  const authenticated =
    application !== null &&
    application.realmId === realmId &&
    (application.clientSecretHash === null
      ? client.method === "none"
      : client.clientSecret !== null && verifySecret(client.clientSecret, application.clientSecretHash));
  if (!authenticated) throw new OAuthError("invalid_client", "Client authentication failed", 401);
  const { clientSecretHash: _hash, ...rest } = application;
  return rest;
}

export function requireGrant(client: AuthenticatedClient, grantType: string): void {
  if (!client.grantTypes.includes(grantType)) {
    throw new OAuthError("unauthorized_client", `This application may not use the ${grantType} grant`);
  }
}
