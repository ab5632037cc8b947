// What a signed-in user does for themself: changing their own password, given the current one.
// No privilege policy here: the actor is the user, acting on nothing but their own credentials.
import type { PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { ValidationError } from "./errors.js";
import { hashPassword, passwordPolicyViolation, verifyPassword } from "./passwords.js";
import { revokeSession } from "./sessions.js";

export type ChangeMyPasswordInput = {
  currentPassword: string;
  newPassword: string;
  /** The session the change is made from, which stays; null ends it too (a temporary password's). */
  keepSessionId: string | null;
};

/** Changes the actor's (a user's) password and ends their other sessions; returns the sessions it ended. */
export async function changeMyPassword(prisma: PrismaClient, actor: Actor, input: ChangeMyPasswordInput): Promise<{ endedSessionIds: string[] }> {
  if (actor.type !== "user" || !actor.id) throw new Error("changeMyPassword needs a signed-in user");
  const user = await prisma.user.findFirstOrThrow({ where: { id: actor.id, realmId: actor.realmId } });
  if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
    throw new ValidationError("input.currentPassword", "The current password is wrong");
  }
  const violation = passwordPolicyViolation(input.newPassword, user, "input.newPassword");
  if (violation) throw violation;
  if (input.newPassword === input.currentPassword) {
    throw new ValidationError("input.newPassword", "The new password must differ from the current one");
  }
  const passwordHash = await hashPassword(input.newPassword);
  return prisma.$transaction(async (tx) => {
    await tx.user.update({
      where: { id: user.id },
      data: { passwordHash, passwordExpired: false, passwordTemporary: false, passwordChangedAt: new Date() },
    });
    const sessions = await tx.session.findMany({
      where: { userId: user.id, revokedAt: null, ...(input.keepSessionId ? { id: { not: input.keepSessionId } } : {}) },
      select: { id: true },
    });
    for (const session of sessions) await revokeSession(tx, session.id);
    await recordAudit(tx, actor, {
      action: "user.password.change",
      targetType: "User",
      targetId: user.id,
      changes: { password: { before: null, after: null } },
    });
    return { endedSessionIds: sessions.map((session) => session.id) };
  });
}
