// Turns the Authorization header into a Principal, once per request, for GraphQL and every
// REST profile alike. No header means an anonymous request; a bad credential is an error the
// transport answers with 401.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Principal } from "../graphql/principal.js";
import { clockSkewSeconds, verifyAccessToken } from "./access-token.js";
import type { ApplicationRevocation } from "./application-revocation.js";
import { InvalidTokenError } from "./auth-errors.js";
import { managementAudiences, type IssuerSettings } from "./issuers.js";
import { parseManagementKey, verifyManagementKey } from "./management-keys.js";
import type { SessionRevocation } from "./session-revocation.js";
import type { KeyStore } from "./signing-keys.js";
import { VerifiedTokenCache } from "./verified-token-cache.js";

export type Authenticator = (authorization: string | null) => Promise<Principal | null>;

export function createAuthenticator(deps: {
  prisma: PrismaClient;
  keys: KeyStore;
  settings: IssuerSettings;
  sessions: SessionRevocation;
  applications: ApplicationRevocation;
}): Authenticator {
  const cache = new VerifiedTokenCache<Principal>();
  const audiences = managementAudiences(deps.settings);
  const principalOf = (realmId: string, rest: Omit<Principal, "realmId" | "realmIsAdmin">): Principal => ({
    ...rest,
    realmId,
    realmIsAdmin: realmId === deps.settings.defaultRealmId,
  });

  return async (authorization) => {
    if (authorization === null) return null;
    const match = /^Bearer +([^\s]+) *$/i.exec(authorization);
    if (!match) throw new InvalidTokenError("The Authorization header must be 'Bearer <token>'");
    const credential = match[1]!;

    const cached = cache.get(credential);
    if (cached) return activeSession(cached);

    const managementKey = parseManagementKey(credential);
    if (managementKey) {
      // Not cached: a revoked key must stop working at once.
      const grant = await verifyManagementKey(deps.prisma, managementKey);
      return principalOf(grant.realmId, {
        kind: "management_key",
        subject: grant.id,
        clientId: null,
        scopes: new Set(grant.scopes),
        sessionId: null,
        authTime: null,
        tokenGeneration: null,
      });
    }

    const token = await verifyAccessToken(deps.keys, deps.settings, credential, audiences);
    const principal = principalOf(token.realm, {
      kind: token.sid ? "user" : "application",
      subject: token.sub,
      clientId: token.client_id,
      scopes: new Set(token.scope ? token.scope.split(" ") : []),
      sessionId: token.sid ?? null,
      authTime: token.auth_time ?? null,
      // Tokens issued before generations existed name none: generation 0, the column's default.
      tokenGeneration: token.sid ? null : (token.gen ?? 0),
    });
    cache.set(credential, principal, (token.exp + clockSkewSeconds) * 1000);
    return activeSession(principal);
  };

  /** A user's token works only while its session does, an application's while its credentials
   *  stay unchanged (both re-read every few seconds). */
  async function activeSession(principal: Principal): Promise<Principal> {
    if (principal.sessionId && !(await deps.sessions.isActive(principal.sessionId))) {
      throw new InvalidTokenError("The session of this token has ended");
    }
    if (principal.tokenGeneration !== null && !(await deps.applications.isCurrent(principal.clientId!, principal.tokenGeneration))) {
      throw new InvalidTokenError("The application's credentials have changed");
    }
    return principal;
  }
}
