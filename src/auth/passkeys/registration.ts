// Registering a passkey for the signed-in user: options (challenge, the user's existing
// credentials to exclude) and verification of the attestation, which stores the credential.
import {
  generateRegistrationOptions,
  verifyRegistrationResponse,
  type PublicKeyCredentialCreationOptionsJSON,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { newId } from "../../db/ids.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import type { PrismaClient, User } from "../../generated/prisma/client.js";
import type { Principal } from "../../graphql/principal.js";
import { recordAudit } from "../../services/audit.js";
import { InsufficientUserAuthenticationError, OAuthError } from "../auth-errors.js";
import type { IssuerSettings } from "../issuers.js";
import { changePasswordOnlyScope } from "../password-grant.js";
import type { KeyStore } from "../signing-keys.js";
import { ceremonyLifetimeSeconds, signCeremony, spendCeremony, verifyCeremony } from "./ceremony.js";
import type { RelyingParty } from "./relying-party.js";

export type RegistrationDeps = { prisma: PrismaClient; keys: KeyStore; settings: IssuerSettings; rp: RelyingParty };

export type RegisteredPasskey = { id: string; name: string | null; createdAt: string };

/**
 * How recent the sign-in behind the token must be to register a passkey. A passkey is a lasting
 * credential: without this, whoever holds a user's access token (leaked, or renewed by refreshes
 * for weeks) could add a passkey of their own and keep the account after the token and session
 * end. Five minutes leave time for one registration ceremony (as long) right after a sign-in.
 */
export const registrationMaxAuthAgeSeconds = 300;

/** The user behind a user access token of this realm, who signed in recently and may still sign in. */
export async function registeringUser(prisma: PrismaClient, realmId: string, principal: Principal | null): Promise<User> {
  if (!principal) throw new OAuthError("invalid_token", "A user access token is required", 401);
  if (principal.kind !== "user" || principal.realmId !== realmId) {
    throw new OAuthError("access_denied", "Only a user signed in to this realm may register a passkey", 403);
  }
  if (principal.scopes.has(changePasswordOnlyScope)) {
    throw new OAuthError("access_denied", "This session may only change the password", 403);
  }
  const signedInSecondsAgo = principal.authTime === null ? Infinity : Date.now() / 1000 - principal.authTime;
  if (signedInSecondsAgo > registrationMaxAuthAgeSeconds) {
    throw new InsufficientUserAuthenticationError(
      `Registering a passkey needs a sign-in within the last ${registrationMaxAuthAgeSeconds / 60} minutes; sign in again`,
      registrationMaxAuthAgeSeconds,
    );
  }
  const user = await prisma.user.findFirst({ where: { id: principal.subject, realmId } });
  if (!user || user.status === "suspended" || user.status === "inactive") {
    throw new OAuthError("access_denied", "This user may not register passkeys", 403);
  }
  return user;
}

export async function registrationOptions(
  deps: RegistrationDeps,
  user: User,
): Promise<{ options: PublicKeyCredentialCreationOptionsJSON; ceremony: string; expires_in: number }> {
  const existing = await deps.prisma.passkey.findMany({
    where: { userId: user.id },
    select: { credentialId: true, transports: true },
    orderBy: { createdAt: "asc" },
  });
  const options = await generateRegistrationOptions({
    rpName: deps.rp.name,
    rpID: deps.rp.id,
    userID: new TextEncoder().encode(user.id),
    userName: user.email ?? user.username ?? user.id,
    userDisplayName: user.name ?? "",
    timeout: ceremonyLifetimeSeconds * 1000,
    attestationType: "none",
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
  });
  const ceremony = await signCeremony(deps, { challenge: options.challenge, purpose: "register", realmId: user.realmId, userId: user.id });
  return { options, ceremony, expires_in: ceremonyLifetimeSeconds };
}

export async function verifyRegistration(
  deps: RegistrationDeps,
  user: User,
  input: { ceremony: string; response: RegistrationResponseJSON; name: string | null; requestId: string | null },
): Promise<RegisteredPasskey> {
  const ceremony = await verifyCeremony(deps, input.ceremony, { purpose: "register", realmId: user.realmId, userId: user.id });
  await spendCeremony(deps.prisma, ceremony);

  let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: ceremony.challenge,
      expectedOrigin: deps.rp.origin,
      expectedRPID: deps.rp.id,
      // The options ask for user verification as "preferred": authenticators without it may register.
      requireUserVerification: false,
    });
  } catch (error) {
    throw new OAuthError("invalid_request", `The passkey could not be verified: ${(error as Error).message}`);
  }
  if (!verification.verified) throw new OAuthError("invalid_request", "The passkey could not be verified");
  const { credential } = verification.registrationInfo;

  try {
    const passkey = await deps.prisma.$transaction(async (tx) => {
      const created = await tx.passkey.create({
        data: {
          id: newId("passkey"),
          realmId: user.realmId,
          userId: user.id,
          credentialId: credential.id,
          publicKey: credential.publicKey,
          counter: BigInt(credential.counter),
          transports: credential.transports ?? [],
          name: input.name,
        },
        select: { id: true, name: true, credentialId: true, createdAt: true },
      });
      await recordAudit(tx, { type: "user", id: user.id, realmId: user.realmId, requestId: input.requestId }, {
        action: "user.passkeys.create",
        targetType: "User",
        targetId: user.id,
        changes: { passkeys: { before: null, after: [created.id] } },
      });
      return created;
    });
    return { id: passkey.id, name: passkey.name, createdAt: passkey.createdAt.toISOString() };
  } catch (error) {
    if (isUniqueViolation(error)) throw new OAuthError("invalid_request", "This passkey is already registered", 409);
    throw error;
  }
}
