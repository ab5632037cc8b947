// Passwords set by an administrator (seed 001): expire, set active, set temporary. A password is
// checked against the policy and hashed (argon2id, off the event loop) before the transaction
// opens, and never returned, logged or audited: the audit event records only that it changed.
// Each is a credential change (./user-changes.ts): only a caller holding every management scope
// the user holds makes it, and it ends the user's sessions and refresh tokens.
import type { PrismaClient, User } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { ValidationError } from "./errors.js";
import { hashPassword, passwordPolicyViolation } from "./passwords.js";
import { findUserInRealm } from "./realm-lookups.js";
import { changeUser, type UserChange } from "./user-changes.js";

/** The new password's columns, once it passed the policy for the user it will belong to. */
export async function newPassword(
  password: string,
  owner: { email: string | null; username: string | null },
  temporary: boolean,
): Promise<UserChange> {
  const violation = passwordPolicyViolation(password, owner);
  if (violation) throw violation;
  return {
    passwordHash: await hashPassword(password),
    passwordExpired: false,
    passwordTemporary: temporary,
    passwordChangedAt: new Date(),
  };
}

/** setUserPassword (`temporary`: false) and setUserTemporaryPassword (true: it signs in once, then must be replaced). */
export async function setUserPassword(
  prisma: PrismaClient,
  actor: Actor,
  input: { id: string; password: string; temporary: boolean },
): Promise<User> {
  // Read first so that an unknown id or a refused password costs no hashing.
  const current = await findUserInRealm(prisma, input.id, actor.realmId);
  const change = await newPassword(input.password, current, input.temporary);
  return changeUser(prisma, actor, input.id, input.temporary ? "user.password.setTemporary" : "user.password.set", (before) => {
    const violation = passwordPolicyViolation(input.password, before); // the email may have changed meanwhile
    if (violation) throw violation;
    return change;
  });
}

/** Marks the password expired: the user must choose a new one at the next sign-in. */
export async function expireUserPassword(prisma: PrismaClient, actor: Actor, input: { id: string }): Promise<User> {
  return changeUser(prisma, actor, input.id, "user.password.expire", (before) => {
    if (before.passwordHash === null) throw new ValidationError("input.id", `User ${before.id} has no password to expire`);
    return { passwordExpired: true };
  });
}
