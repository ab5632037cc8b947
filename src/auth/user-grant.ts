// What a signed-in user's tokens carry: the OpenID scopes asked for, and the API scopes the
// user's realm-wide roles grant on the audience. Scopes a user does not hold are left out (the
// response's `scope` says what was granted, RFC 6749 §3.3); they are recomputed at each refresh
// so a role change reaches the user within one refresh.
import { prepared, type SqlReader } from "../db/sql-reader.js";
import { OAuthError } from "./auth-errors.js";
import { managementApiAlias, type IssuerSettings } from "./issuers.js";
import { managementIndicator } from "../services/management-api.js";

/** Scopes about the user and the session rather than an API; `password:change` is what a
 *  temporary-password sign-in gets. */
export const userScopes = new Set(["openid", "profile", "email", "phone", "offline_access", "password:change"]);

export type UserGrant = {
  audience: string;
  /** OpenID and API scopes granted, in a stable order. */
  scopes: string[];
  roles: string[];
  lifetimeSeconds: number;
};

/**
 * One driver read, run by every sign-in and refresh on the event loop that serves all reads: a
 * row per scope the user's ($3) realm-wide roles hold on the API (one with a null scope when
 * none); the roles are an uncorrelated subquery, which PostgreSQL evaluates once.
 */
const userScopesOnAudience = prepared(
  `SELECT r."tokenLifetime", held.name AS scope,
     ARRAY(SELECT ro.name FROM "UserRole" ur JOIN "Role" ro ON ro.id = ur."roleId"
           WHERE ur."userId" = $3 AND ur."tenantId" IS NULL ORDER BY ro.name COLLATE "C") AS roles
   FROM "Resource" r
   LEFT JOIN LATERAL (
     SELECT DISTINCT s.name FROM "Scope" s
     JOIN "RoleScope" rs ON rs."scopeId" = s.id
     JOIN "UserRole" ur ON ur."roleId" = rs."roleId" AND ur."tenantId" IS NULL
     WHERE s."resourceId" = r.id AND ur."userId" = $3
   ) held ON true
   WHERE r."realmId" = $1 AND r.indicator = $2`,
);

export async function resolveUserGrant(
  read: SqlReader,
  settings: IssuerSettings,
  input: { realmId: string; userId: string; audience: string | null | undefined; requestedScope: string | null },
): Promise<UserGrant> {
  const audience = input.audience ?? managementIndicator;
  const indicator = audience === managementApiAlias(settings) ? managementIndicator : audience;
  const scopeRows = await read<{ tokenLifetime: number; scope: string | null; roles: string[] }>(userScopesOnAudience, [
    input.realmId,
    indicator,
    input.userId,
  ]);
  const resource = scopeRows[0];
  if (!resource) throw new OAuthError("invalid_target", `No API with the audience ${audience} exists in this realm`);
  const held = scopeRows.flatMap((row) => (row.scope === null ? [] : [row.scope]));
  const requested = input.requestedScope === null ? null : input.requestedScope.split(" ").filter(Boolean);
  const openId = (requested ?? []).filter((scope) => userScopes.has(scope));
  const restricted = requested?.includes("password:change") ?? false;
  const api = restricted ? [] : requested === null ? held : held.filter((scope) => requested.includes(scope));
  return {
    audience,
    scopes: [...new Set([...openId, ...api.sort()])],
    roles: resource.roles,
    lifetimeSeconds: resource.tokenLifetime,
  };
}
