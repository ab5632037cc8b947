// The end of every successful sign-in (password, passkey): the user becomes active, a session
// starts, the attempt is recorded, and the tokens are issued.
import { newId } from "../db/ids.js";
import { prepared, type SqlReader } from "../db/sql-reader.js";
import type { LoginOutcome, PrismaClient, User } from "../generated/prisma/client.js";
import { signAccessToken } from "./access-token.js";
import type { AuthenticatedClient } from "./client-authentication.js";
import { signIdToken } from "./id-token.js";
import type { IssuerSettings } from "./issuers.js";
import { profileClaims } from "./profile-claims.js";
import { newRefreshToken } from "./refresh-tokens.js";
import { OAuthError } from "./auth-errors.js";
import type { KeyStore } from "./signing-keys.js";
import { resolveUserGrant, type UserGrant } from "./user-grant.js";

export type SignInDeps = {
  prisma: PrismaClient;
  /** Driver reads for the per-request lookups (client, audience) of the token endpoints. */
  read: SqlReader;
  keys: KeyStore;
  settings: IssuerSettings;
  sessionLifetimeSeconds: number;
};

/** Where an attempt came from, for sessions and login history. */
export type AttemptOrigin = { ip: string | null; userAgent: string | null };

export type TokenResponse = {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  scope: string;
  id_token?: string;
  refresh_token?: string;
};

type LoginAttempt = {
  realmId: string;
  userId: string | null;
  applicationId: string | null;
  identifier: string | null;
  method: string;
  outcome: LoginOutcome;
  origin: AttemptOrigin;
};

const loginEventInsert = prepared(
  `INSERT INTO "LoginEvent" (id, "realmId", "userId", "applicationId", identifier, method, outcome, ip, "userAgent", "createdAt")
   VALUES ($1, $2, $3, $4, $5, $6, $7::"LoginOutcome", $8, $9, $10)`,
);

/** One row of login history; failed attempts are recorded alone, a success by completeSignIn. */
export async function recordLoginAttempt(read: SqlReader, attempt: LoginAttempt): Promise<void> {
  await read(loginEventInsert, [
    newId("loginEvent"),
    attempt.realmId,
    attempt.userId,
    attempt.applicationId,
    attempt.identifier,
    attempt.method,
    attempt.outcome,
    attempt.origin.ip,
    userAgentOf(attempt.origin),
    new Date(),
  ]);
}

const userAgentOf = (origin: AttemptOrigin) => origin.userAgent?.slice(0, 512) ?? null;

/**
 * The writes of a sign-in as one statement (so atomic without a transaction): the user's
 * sign-in counters (and invited -> active), the session, its first refresh token when one is
 * issued, and the login event. One driver round trip instead of a Prisma transaction of four,
 * whose query compilation cost ~6 ms of event-loop CPU per sign-in. A temporary password is
 * spent here too ($15): only while it is unspent, so two sign-ins racing with it get one
 * session. No row when the user is gone or the temporary password was spent meanwhile.
 */
const signInWrites = prepared(`
  WITH signed_in AS (
    UPDATE "User" SET
      status = CASE WHEN status = 'invited' THEN 'active'::"UserStatus" ELSE status END,
      "lastLoginAt" = $2, "lastLoginIp" = $3, "loginsCount" = "loginsCount" + 1, "updatedAt" = $2,
      "passwordExpired" = "passwordExpired" OR $15
    WHERE id = $1 AND NOT ($15 AND "passwordExpired")
    RETURNING *
  ), session AS (
    INSERT INTO "Session" (id, "realmId", "userId", "applicationId", ip, "userAgent", "createdAt", "lastUsedAt", "expiresAt", audience, "requestedScope")
    SELECT $4, "realmId", id, $5, $3, $6, $2, $2, $7, $8, $9 FROM signed_in
    RETURNING id
  ), refresh_token AS (
    INSERT INTO "RefreshToken" (id, "sessionId", "tokenHash", "createdAt", "expiresAt")
    SELECT $10, id, $11::text, $2, $7 FROM session WHERE $11::text IS NOT NULL
  ), login_event AS (
    INSERT INTO "LoginEvent" (id, "realmId", "userId", "applicationId", identifier, method, outcome, ip, "userAgent", "createdAt")
    SELECT $12, "realmId", id, $5, $13, $14, 'success', $3, $6, $2 FROM signed_in
  )
  SELECT * FROM signed_in`);

export async function completeSignIn(
  deps: SignInDeps,
  input: {
    user: User;
    client: AuthenticatedClient;
    method: string;
    identifier: string | null;
    origin: AttemptOrigin;
    audience: string | null | undefined;
    requestedScope: string | null;
    /** The user signed in with a temporary password, which this sign-in spends. */
    spendsTemporaryPassword?: boolean;
  },
): Promise<TokenResponse> {
  const { user, client } = input;
  const grant = await resolveUserGrant(deps.read, deps.settings, {
    realmId: user.realmId,
    userId: user.id,
    audience: input.audience,
    requestedScope: input.requestedScope,
  });
  const refreshToken = grant.scopes.includes("offline_access") && client.grantTypes.includes("refresh_token") ? newRefreshToken() : null;
  const now = new Date();
  const sessionId = newId("session");
  const [signedIn] = await deps.read<User>(signInWrites, [
    user.id,
    now,
    input.origin.ip,
    sessionId,
    client.id,
    userAgentOf(input.origin),
    new Date(now.getTime() + deps.sessionLifetimeSeconds * 1000),
    grant.audience,
    input.requestedScope,
    newId("refreshToken"),
    refreshToken?.hash ?? null,
    newId("loginEvent"),
    input.identifier,
    input.method,
    input.spendsTemporaryPassword ?? false,
  ]);
  if (!signedIn && input.spendsTemporaryPassword) {
    // Another sign-in spent it between this one's password check and its writes.
    const { identifier, method, origin } = input;
    const attempt = { realmId: user.realmId, userId: user.id, applicationId: client.id, identifier, method, origin };
    await recordLoginAttempt(deps.read, { ...attempt, outcome: "password_expired" });
    throw new OAuthError("password_expired", "The temporary password was used; change it with POST /auth/password/change", 403);
  }
  if (!signedIn) throw new OAuthError("invalid_grant", "The user no longer exists");
  return userTokens(deps, { user: signedIn, client, sessionId, authTime: now, grant, refreshToken: refreshToken?.token ?? null });
}

/**
 * Access token (with `sid`, and `auth_time`: the session's sign-in, which refreshes keep), ID
 * token when `openid` was granted, and the refresh token if any.
 */
export async function userTokens(
  deps: Pick<SignInDeps, "keys" | "settings">,
  input: { user: User; client: AuthenticatedClient; sessionId: string; authTime: Date; grant: UserGrant; refreshToken: string | null },
): Promise<TokenResponse> {
  const { user, client, grant } = input;
  const scope = grant.scopes.join(" ");
  const accessToken = await signAccessToken(
    deps.keys,
    deps.settings,
    {
      sub: user.id,
      aud: grant.audience,
      client_id: client.clientId,
      scope,
      realm: user.realmId,
      sid: input.sessionId,
      auth_time: Math.floor(input.authTime.getTime() / 1000),
      roles: grant.roles,
    },
    grant.lifetimeSeconds,
  );
  const response: TokenResponse = { access_token: accessToken, token_type: "Bearer", expires_in: grant.lifetimeSeconds, scope };
  if (grant.scopes.includes("openid")) {
    response.id_token = await signIdToken(deps.keys, deps.settings, {
      realmId: user.realmId,
      clientId: client.clientId,
      sessionId: input.sessionId,
      authTime: input.authTime,
      claims: { ...profileClaims(user, new Set(grant.scopes)), roles: grant.roles },
    });
  }
  if (input.refreshToken) response.refresh_token = input.refreshToken;
  return response;
}
