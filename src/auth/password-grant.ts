// The password grant (RFC 6749 §4.3) for first-party applications, with Auth0's
// password-realm variant. Unknown users and wrong passwords fail alike, in the same time; a
// locked identifier is refused before any hashing.
import type { PrismaClient } from "../generated/prisma/client.js";
import { verifyAgainstDummy, verifyPassword } from "../services/passwords.js";
import { OAuthError } from "./auth-errors.js";
import { authenticateClient, requireGrant } from "./client-authentication.js";
import { completeSignIn, recordLoginAttempt, type AttemptOrigin, type SignInDeps, type TokenResponse } from "./sign-in.js";
import { userAndLockout, type ThrottleSettings } from "./sign-in-throttle.js";
import type { TokenRequest } from "./token-request.js";

export const passwordRealmGrant = "http://auth0.com/oauth/grant-type/password-realm";

const wrongCredentials = () => new OAuthError("invalid_grant", "Wrong email, username or password");

/** Sign-in is refused for a while: 429 with Retry-After. */
export class SignInLockedError extends OAuthError {
  constructor(readonly retryAfterSeconds: number) {
    super("invalid_grant", "Too many failed sign-ins; try again later", 429);
  }
}

export async function passwordGrant(
  deps: SignInDeps & { throttle: ThrottleSettings },
  endpointRealmId: string,
  request: TokenRequest,
  origin: AttemptOrigin,
): Promise<TokenResponse> {
  const { params } = request;
  const realmId = await realmOfRequest(deps.prisma, endpointRealmId, params.get("realm"));
  const client = await authenticateClient(deps.read, realmId, request.client);
  requireGrant(client, "password");
  const username = params.get("username");
  const password = params.get("password");
  if (!username || password === undefined) throw new OAuthError("invalid_request", "username and password are required");
  const { user, identifier, attempt } = await checkPassword(deps, { realmId, applicationId: client.id, username, password, origin });
  if (user.status === "suspended" || user.status === "inactive") {
    await recordLoginAttempt(deps.read, { ...attempt, outcome: "suspended" });
    throw new OAuthError("access_denied", `The user is ${user.status === "suspended" ? "blocked" : "inactive"}`, 403);
  }
  if (user.passwordExpired) {
    await recordLoginAttempt(deps.read, { ...attempt, outcome: "password_expired" });
    throw new OAuthError("password_expired", "The password has expired; change it with POST /auth/password/change", 403);
  }
  // A temporary password signs in once, to a session that may only change the password.
  return completeSignIn(deps, {
    user,
    client,
    method: "password",
    identifier,
    origin,
    audience: params.get("audience") ?? params.get("resource"),
    requestedScope: user.passwordTemporary ? changePasswordOnlyScope : (params.get("scope") ?? null),
    spendsTemporaryPassword: user.passwordTemporary,
  });
}

/**
 * Finds the user and checks the password, refusing locked identifiers before any hashing and
 * recording failures. Unknown users cost a dummy verification, so both failures look alike.
 */
export async function checkPassword(
  deps: Pick<SignInDeps, "prisma" | "read"> & { throttle: ThrottleSettings },
  input: { realmId: string; applicationId: string; username: string; password: string; origin: AttemptOrigin },
) {
  const { realmId, origin } = input;
  const identifier = input.username.trim().toLowerCase();
  const { user, lockedForSeconds: lockedFor } = await userAndLockout(deps.read, deps.throttle, { realmId, identifier, ip: origin.ip });
  const attempt = { realmId, userId: user?.id ?? null, applicationId: input.applicationId, identifier, method: "password", origin };
  if (lockedFor !== null) {
    await recordLoginAttempt(deps.read, { ...attempt, outcome: "locked" });
    throw new SignInLockedError(lockedFor);
  }
  const matches = user?.passwordHash ? await verifyPassword(user.passwordHash, input.password) : await verifyAgainstDummy(input.password);
  if (!user || !matches) {
    await recordLoginAttempt(deps.read, { ...attempt, outcome: user ? "wrong_password" : "unknown_user" });
    throw wrongCredentials();
  }
  return { user, identifier, attempt };
}

/** The only scope a temporary-password session gets: enough for changeMyPassword, nothing else. */
export const changePasswordOnlyScope = "password:change";

/**
 * Auth0's `realm` parameter names a realm (by name or id). Each endpoint signs in to its own
 * realm only, so the parameter may confirm that realm but never choose another one.
 */
async function realmOfRequest(prisma: PrismaClient, endpointRealmId: string, named: string | undefined): Promise<string> {
  if (!named) return endpointRealmId;
  const realm = await prisma.realm.findFirst({ where: { id: endpointRealmId, OR: [{ id: named }, { name: named }] }, select: { id: true } });
  if (!realm) throw new OAuthError("invalid_request", `realm ${named} is not the realm of this token endpoint`);
  return realm.id;
}
