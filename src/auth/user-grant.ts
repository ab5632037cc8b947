// What a signed-in user's tokens carry: the OpenID scopes asked for, and the API scopes the
// user's realm-wide roles grant on the audience. Scopes a user does not hold are left out (the
// response's `scope` says what was granted, RFC 6749 §3.3); they are recomputed at each refresh
// so a role change reaches the user within one refresh.
import type { PrismaClient } from "../generated/prisma/client.js";
import { OAuthError } from "./auth-errors.js";
import { managementApiAlias, type IssuerSettings } from "./issuers.js";
import { managementIndicator } from "./management-api.js";

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

export async function resolveUserGrant(
  prisma: PrismaClient,
  settings: IssuerSettings,
  input: { realmId: string; userId: string; audience: string | null | undefined; requestedScope: string | null },
): Promise<UserGrant> {
  const audience = input.audience ?? managementIndicator;
  const indicator = audience === managementApiAlias(settings) ? managementIndicator : audience;
  const [resource, roles] = await Promise.all([
    prisma.resource.findUnique({
      where: { realmId_indicator: { realmId: input.realmId, indicator } },
      select: {
        tokenLifetime: true,
        scopes: {
          where: { roles: { some: { role: { users: { some: { userId: input.userId, tenantId: null } } } } } },
          select: { name: true },
        },
      },
    }),
    prisma.userRole.findMany({ where: { userId: input.userId, tenantId: null }, select: { role: { select: { name: true } } } }),
  ]);
  if (!resource) throw new OAuthError("invalid_target", `No API with the audience ${audience} exists in this realm`);
  const held = resource.scopes.map((scope) => scope.name);
  const requested = input.requestedScope === null ? null : input.requestedScope.split(" ").filter(Boolean);
  const openId = (requested ?? []).filter((scope) => userScopes.has(scope));
  const restricted = requested?.includes("password:change") ?? false;
  const api = restricted ? [] : requested === null ? held : held.filter((scope) => requested.includes(scope));
  return {
    audience,
    scopes: [...new Set([...openId, ...api.sort()])],
    roles: roles.map((grant) => grant.role.name).sort(),
    lifetimeSeconds: resource.tokenLifetime,
  };
}
