// What a signed-in user does for themself with their own access token.
import { changePasswordOnlyScope } from "../../auth/password-grant.js";
import { recordAudit } from "../../services/audit.js";
import { ValidationError } from "../../services/errors.js";
import { hashPassword, passwordPolicyViolation, verifyPassword } from "../../services/passwords.js";
import { revokeSession } from "../../services/sessions.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import { writeErrors } from "./errors.js";

builder.queryField("me", (t) =>
  t.prismaField({
    type: "User",
    description: "The signed-in user (user access tokens only).",
    authScopes: { signedInUser: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.user.findFirstOrThrow({ ...query, where: { id: context.principal!.subject, realmId: context.principal!.realmId } }),
  }),
);

const ChangeMyPasswordInput = builder.inputType("ChangeMyPasswordInput", {
  fields: (t) => ({
    currentPassword: t.string({ required: true }),
    newPassword: t.string({ required: true }),
  }),
});

const ChangeMyPasswordPayload = builder.simpleObject("ChangeMyPasswordPayload", {
  fields: (t) => ({
    changed: t.boolean(),
    endedSessions: t.int({ description: "Other sessions ended by the change." }),
  }),
});

builder.mutationField("changeMyPassword", (t) =>
  t.field({
    type: ChangeMyPasswordPayload,
    description:
      "Changes the signed-in user's password, given the current one. Also the way out of a temporary password: its sign-in grants a session that may only do this. Ends the user's other sessions.",
    authScopes: { signedInUser: true },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ChangeMyPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const principal = context.principal!;
      const user = await context.prisma.user.findFirstOrThrow({ where: { id: principal.subject, realmId: principal.realmId } });
      if (!user.passwordHash || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
        throw new ValidationError("input.currentPassword", "The current password is wrong");
      }
      const violation = passwordPolicyViolation(input.newPassword, user, "input.newPassword");
      if (violation) throw violation;
      if (input.newPassword === input.currentPassword) {
        throw new ValidationError("input.newPassword", "The new password must differ from the current one");
      }
      const passwordHash = await hashPassword(input.newPassword);
      // The restricted session of a temporary password has done its job: it ends too.
      const keepCurrent = !principal.scopes.has(changePasswordOnlyScope);
      const ended = await context.prisma.$transaction(async (tx) => {
        await tx.user.update({
          where: { id: user.id },
          data: { passwordHash, passwordExpired: false, passwordTemporary: false, passwordChangedAt: new Date() },
        });
        const sessions = await tx.session.findMany({
          where: { userId: user.id, revokedAt: null, ...(keepCurrent && principal.sessionId ? { id: { not: principal.sessionId } } : {}) },
          select: { id: true },
        });
        for (const session of sessions) await revokeSession(tx, session.id);
        await recordAudit(tx, actorOf(context), {
          action: "user.password.change",
          targetType: "User",
          targetId: user.id,
          changes: { password: { before: null, after: null } },
        });
        return sessions.map((session) => session.id);
      });
      for (const id of ended) context.auth.sessions.forget(id);
      return { changed: true, endedSessions: ended.length };
    },
  }),
);
