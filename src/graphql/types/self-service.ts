// What a signed-in user does for themself with their own access token.
import { changePasswordOnlyScope } from "../../auth/password-grant.js";
import { changeMyPassword } from "../../services/self-service.js";
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
      // The restricted session of a temporary password has done its job: it ends too.
      const keepSessionId = principal.scopes.has(changePasswordOnlyScope) ? null : principal.sessionId;
      const { endedSessionIds } = await changeMyPassword(context.prisma, actorOf(context), { ...input, keepSessionId });
      for (const id of endedSessionIds) context.auth.sessions.forget(id);
      return { changed: true, endedSessions: endedSessionIds.length };
    },
  }),
);
