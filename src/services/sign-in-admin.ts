// Administration of a user's sign-in: lifting a brute-force lockout, and seed 001 "Update JWT"
// (custom claims added to a user's access token). Both act on the user's credentials, so both
// pass the target ceiling: lifting an administrator's lockout helps a brute force on their
// password, and a re-signed administrator's token is theirs to use.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { ValidationError } from "./errors.js";
import { assertCustomClaims } from "./jwt-claims.js";
import { assertMayActOn } from "./privilege-policy.js";
import { findUserInRealm } from "./realm-lookups.js";
import { isSessionActive } from "./sessions.js";

/** Earlier failed sign-ins of the user stop counting towards a lockout. */
export async function unlockUserSignIn(prisma: PrismaClient, actor: Actor, input: { userId: string }) {
  return prisma.$transaction(async (tx) => {
    const before = await findUserInRealm(tx, input.userId, actor.realmId);
    await assertMayActOn(tx, actor, { type: "user", id: before.id });
    const user = await tx.user.update({ where: { id: before.id }, data: { signInUnlockedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: "user.sign_in.unlock",
      targetType: "User",
      targetId: before.id,
      changes: { signInUnlockedAt: { before: before.signInUnlockedAt, after: user.signInUnlockedAt } },
    });
    return { user };
  });
}

/** The claims of an access token whose signature, issuer and expiry the caller has verified. */
export type VerifiedTokenClaims = Record<string, unknown> & { sub: string; realm: string; sid?: string };

/** Signs claims as an access token; the auth layer's, so that keys stay out of services. */
export type SignAccessToken = (claims: Record<string, unknown>) => Promise<string>;

/**
 * The user's token re-signed with namespaced custom claims added: every claim it had (expiry and
 * session included) stays, so the new token is checked, and ends, as the old one.
 */
export async function updateUserJwt(
  prisma: PrismaClient,
  actor: Actor,
  input: { claims: VerifiedTokenClaims; customClaims: Record<string, unknown> },
  sign: SignAccessToken,
): Promise<string> {
  assertCustomClaims(input.customClaims, "input.customClaims");
  const { claims } = input;
  if (claims.realm !== actor.realmId || !claims.sid) {
    throw new ValidationError("input.jwt", "The token is not an access token of a user of this realm");
  }
  return prisma.$transaction(async (tx) => {
    const session = await tx.session.findFirst({ where: { id: claims.sid, userId: claims.sub, realmId: actor.realmId } });
    if (!session || !isSessionActive(session)) throw new ValidationError("input.jwt", "The session of this token has ended");
    await assertMayActOn(tx, actor, { type: "user", id: claims.sub });
    const jwt = await sign({ ...claims, ...input.customClaims });
    await recordAudit(tx, actor, {
      action: "user.jwt.update",
      targetType: "User",
      targetId: claims.sub,
      changes: { customClaims: { before: null, after: Object.keys(input.customClaims) } },
    });
    return jwt;
  });
}
