// The end of every successful sign-in (password, passkey): the user becomes active, a session
// starts, the attempt is recorded, and the tokens are issued.
import { newId } from "../db/ids.js";
import type { SqlReader } from "../db/sql-reader.js";
import type { LoginOutcome, PrismaClient, User } from "../generated/prisma/client.js";
import { signAccessToken } from "./access-token.js";
import type { AuthenticatedClient } from "./client-authentication.js";
import { signIdToken } from "./id-token.js";
import type { IssuerSettings } from "./issuers.js";
import { profileClaims } from "./profile-claims.js";
import { issueRefreshToken, startSession } from "./refresh-tokens.js";
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

export async function recordLoginAttempt(
  prisma: Pick<PrismaClient, "loginEvent">,
  attempt: {
    realmId: string;
    userId: string | null;
    applicationId: string | null;
    identifier: string | null;
    method: string;
    outcome: LoginOutcome;
    origin: AttemptOrigin;
  },
): Promise<void> {
  await prisma.loginEvent.create({
    data: {
      id: newId("loginEvent"),
      realmId: attempt.realmId,
      userId: attempt.userId,
      applicationId: attempt.applicationId,
      identifier: attempt.identifier,
      method: attempt.method,
      outcome: attempt.outcome,
      ip: attempt.origin.ip,
      userAgent: attempt.origin.userAgent?.slice(0, 512) ?? null,
    },
  });
}

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
  },
): Promise<TokenResponse> {
  const { user, client } = input;
  const grant = await resolveUserGrant(deps.read, deps.settings, {
    realmId: user.realmId,
    userId: user.id,
    audience: input.audience,
    requestedScope: input.requestedScope,
  });
  const wantsRefresh = grant.scopes.includes("offline_access") && client.grantTypes.includes("refresh_token");
  const now = new Date();
  const { session, refreshToken, signedIn } = await deps.prisma.$transaction(async (tx) => {
    const signedIn = await tx.user.update({
      where: { id: user.id },
      data: {
        status: user.status === "invited" ? "active" : undefined,
        lastLoginAt: now,
        lastLoginIp: input.origin.ip,
        loginsCount: { increment: 1 },
      },
    });
    const session = await startSession(tx, {
      realmId: user.realmId,
      userId: user.id,
      applicationId: client.id,
      ip: input.origin.ip,
      userAgent: input.origin.userAgent?.slice(0, 512) ?? null,
      lifetimeSeconds: deps.sessionLifetimeSeconds,
      audience: grant.audience,
      requestedScope: input.requestedScope,
    });
    await recordLoginAttempt(tx, {
      realmId: user.realmId,
      userId: user.id,
      applicationId: client.id,
      identifier: input.identifier,
      method: input.method,
      outcome: "success",
      origin: input.origin,
    });
    return { session, signedIn, refreshToken: wantsRefresh ? await issueRefreshToken(tx, session) : null };
  });
  return userTokens(deps, { user: signedIn, client, sessionId: session.id, authTime: session.createdAt, grant, refreshToken });
}

/** Access token (with `sid`), ID token when `openid` was granted, and the refresh token if any. */
export async function userTokens(
  deps: Pick<SignInDeps, "keys" | "settings">,
  input: { user: User; client: AuthenticatedClient; sessionId: string; authTime: Date; grant: UserGrant; refreshToken: string | null },
): Promise<TokenResponse> {
  const { user, client, grant } = input;
  const scope = grant.scopes.join(" ");
  const accessToken = await signAccessToken(
    deps.keys,
    deps.settings,
    { sub: user.id, aud: grant.audience, client_id: client.clientId, scope, realm: user.realmId, sid: input.sessionId, roles: grant.roles },
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
