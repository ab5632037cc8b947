// Signing in with a passkey: options (a challenge, the user's credentials when a username is
// given) and verification of the assertion, which ends like every other sign-in (completeSignIn).
// The application must allow the password grant: passkey sign-in is the same first-party trust
// (the application collects a credential and exchanges it for tokens), with a stronger credential.
import {
  generateAuthenticationOptions,
  verifyAuthenticationResponse,
  type AuthenticationResponseJSON,
  type PublicKeyCredentialRequestOptionsJSON,
} from "@simplewebauthn/server";
import { OAuthError } from "../auth-errors.js";
import { authenticateClient, requireGrant } from "../client-authentication.js";
import { completeSignIn, recordLoginAttempt, type AttemptOrigin, type SignInDeps, type TokenResponse } from "../sign-in.js";
import { ceremonyLifetimeSeconds, signCeremony, spendCeremony, verifyCeremony } from "./ceremony.js";
import type { RelyingParty } from "./relying-party.js";

export type AuthenticationDeps = SignInDeps & { rp: RelyingParty };

/** The grant an application must hold to sign users in with passkeys. */
export const passkeySignInGrant = "password";

const method = "passkey";

const refused = (description: string) => new OAuthError("invalid_grant", description);

export async function authenticationOptions(
  deps: AuthenticationDeps,
  realmId: string,
  input: { clientId: string; username: string | undefined },
): Promise<{ options: PublicKeyCredentialRequestOptionsJSON; ceremony: string; expires_in: number }> {
  // Public and confidential clients alike name themselves here; the secret is checked at verify.
  const application = await deps.prisma.application.findUnique({
    where: { clientId: input.clientId },
    select: { realmId: true, grantTypes: true },
  });
  if (!application || application.realmId !== realmId) throw new OAuthError("invalid_client", "Unknown client", 401);
  if (!application.grantTypes.includes(passkeySignInGrant)) {
    throw new OAuthError("unauthorized_client", "This application may not sign users in with passkeys");
  }
  // With a username the browser is told which credentials to offer; without one (or for an
  // unknown user) the list is empty and the authenticator offers its discoverable credentials.
  const allowCredentials = input.username ? await credentialsOf(deps, realmId, input.username) : [];
  const options = await generateAuthenticationOptions({
    rpID: deps.rp.id,
    allowCredentials,
    userVerification: "preferred",
    timeout: ceremonyLifetimeSeconds * 1000,
  });
  const ceremony = await signCeremony(deps, { challenge: options.challenge, purpose: "authenticate", realmId, clientId: input.clientId });
  return { options, ceremony, expires_in: ceremonyLifetimeSeconds };
}

async function credentialsOf(deps: AuthenticationDeps, realmId: string, username: string) {
  const identifier = username.trim();
  const user = await deps.prisma.user.findFirst({
    where: { realmId, OR: [{ email: identifier.toLowerCase() }, { username: identifier }] },
    select: { passkeys: { select: { credentialId: true, transports: true }, orderBy: { createdAt: "asc" } } },
  });
  return (user?.passkeys ?? []).map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports }));
}

export async function verifyAuthentication(
  deps: AuthenticationDeps,
  realmId: string,
  input: {
    client: { clientId: string; clientSecret: string | null };
    ceremony: string;
    response: AuthenticationResponseJSON;
    scope: string | undefined;
    audience: string | undefined;
  },
  origin: AttemptOrigin,
): Promise<TokenResponse> {
  const client = await authenticateClient(
    deps.read,
    realmId,
    input.client.clientSecret === null
      ? { clientId: input.client.clientId, clientSecret: null, method: "none" }
      : { clientId: input.client.clientId, clientSecret: input.client.clientSecret, method: "client_secret_post" },
  );
  requireGrant(client, passkeySignInGrant);
  const ceremony = await verifyCeremony(deps, input.ceremony, { purpose: "authenticate", realmId, clientId: client.clientId });
  await spendCeremony(deps.prisma, ceremony);

  const credentialId = input.response.id;
  const passkey = await deps.prisma.passkey.findUnique({
    where: { realmId_credentialId: { realmId, credentialId } },
    include: { user: true },
  });
  const attempt = (userId: string | null) => ({ realmId, userId, applicationId: client.id, identifier: credentialId.slice(0, 256), method, origin });
  if (!passkey) {
    await recordLoginAttempt(deps.read, { ...attempt(null), outcome: "unknown_user" });
    throw refused("This passkey is not registered");
  }
  const { user } = passkey;

  let verified: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
  try {
    assertUserHandle(input.response, user.id);
    verified = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      credential: { id: passkey.credentialId, publicKey: passkey.publicKey, counter: Number(passkey.counter), transports: passkey.transports },
      requireUserVerification: false,
    });
    if (!verified.verified) throw new Error("The signature is invalid");
  } catch (error) {
    await recordLoginAttempt(deps.read, { ...attempt(user.id), outcome: "invalid_passkey" });
    throw refused(`The passkey could not be verified: ${(error as Error).message}`);
  }

  // Compare-and-set, so two assertions racing with the same counter cannot both pass.
  const updated = await deps.prisma.passkey.updateMany({
    where: { id: passkey.id, counter: passkey.counter },
    data: { counter: BigInt(verified.authenticationInfo.newCounter), lastUsedAt: new Date() },
  });
  if (updated.count !== 1) {
    await recordLoginAttempt(deps.read, { ...attempt(user.id), outcome: "invalid_passkey" });
    throw refused("The passkey was used concurrently; try again");
  }

  if (user.status === "suspended" || user.status === "inactive") {
    await recordLoginAttempt(deps.read, { ...attempt(user.id), outcome: "suspended" });
    throw new OAuthError("access_denied", `The user is ${user.status === "suspended" ? "blocked" : "inactive"}`, 403);
  }
  return completeSignIn(deps, {
    user,
    client,
    method,
    identifier: credentialId.slice(0, 256),
    origin,
    audience: input.audience,
    requestedScope: input.scope ?? null,
  });
}

/** A discoverable credential names its user (the user handle): it must be the passkey's owner. */
function assertUserHandle(response: AuthenticationResponseJSON, userId: string): void {
  const handle = response.response.userHandle;
  if (handle === undefined) return;
  if (Buffer.from(handle, "base64url").toString("utf8") !== userId) throw new Error("The user handle is not the passkey's user");
}
