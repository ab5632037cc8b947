// The client_credentials grant: an application gets a token for one audience carrying the
// scopes its roles grant there. Asking for a scope it does not hold is an error, never a
// silent narrowing or widening.
import { prepared, type SqlReader } from "../db/sql-reader.js";
import { OAuthError } from "./auth-errors.js";
import { managementApiAlias, type IssuerSettings } from "./issuers.js";
import { managementIndicator } from "../services/management-api.js";
import { authenticateClient, requireGrant } from "./client-authentication.js";
import type { TokenRequest } from "./token-request.js";

export type TokenGrant = {
  subject: string;
  clientId: string;
  realmId: string;
  audience: string;
  scopes: string[];
  lifetimeSeconds: number;
  tokenGeneration: number;
};

/** The audience with the scopes the application's roles grant there ($3): one row per scope, or one row with a null scope when it holds none. */
const applicationScopesOnAudience = prepared(
  `SELECT r."tokenLifetime", granted.name AS scope FROM "Resource" r
   LEFT JOIN LATERAL (
     SELECT DISTINCT s.name FROM "Scope" s
     JOIN "RoleScope" rs ON rs."scopeId" = s.id
     JOIN "ApplicationRole" ar ON ar."roleId" = rs."roleId"
     WHERE s."resourceId" = r.id AND ar."applicationId" = $3
   ) granted ON true
   WHERE r."realmId" = $1 AND r.indicator = $2`,
);

export async function clientCredentialsGrant(
  read: SqlReader,
  settings: IssuerSettings,
  realmId: string,
  client: TokenRequest["client"],
  params: Map<string, string>,
): Promise<TokenGrant> {
  const application = await authenticateClient(read, realmId, client);
  if (application.type !== "m2m") {
    throw new OAuthError("unauthorized_client", "Only machine-to-machine applications may use the client_credentials grant");
  }
  requireGrant(application, "client_credentials");

  const requestedAudience = params.get("audience") ?? params.get("resource") ?? managementIndicator;
  const indicator = requestedAudience === managementApiAlias(settings) ? managementIndicator : requestedAudience;
  const rows = await read<{ tokenLifetime: number; scope: string | null }>(applicationScopesOnAudience, [realmId, indicator, application.id]);
  const resource = rows[0];
  if (!resource) throw new OAuthError("invalid_target", `No API with the audience ${requestedAudience} exists in this realm`);

  const granted = new Set(rows.flatMap((row) => (row.scope === null ? [] : [row.scope])));
  const requested = params.get("scope");
  let scopes: string[];
  if (requested === undefined) {
    scopes = [...granted].sort();
  } else {
    scopes = [...new Set(requested.split(" ").filter(Boolean))];
    const refused = scopes.filter((scope) => !granted.has(scope));
    if (refused.length > 0) {
      throw new OAuthError("invalid_scope", `The client is not granted: ${refused.join(" ")}`);
    }
  }
  if (scopes.length === 0) throw new OAuthError("invalid_scope", "The client holds no scope of this audience");
  return {
    subject: application.clientId,
    clientId: application.clientId,
    realmId,
    audience: requestedAudience,
    scopes,
    lifetimeSeconds: resource.tokenLifetime,
    tokenGeneration: application.tokenGeneration,
  };
}
