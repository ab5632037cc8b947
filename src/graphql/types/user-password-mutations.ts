// Passwords set by an administrator (seed 001): expire, set active, set temporary. Each ends the
// user's sessions and needs the caller to hold every management scope the user holds
// (services/user-credentials.ts).
import type { InputFieldBuilder } from "@pothos/core";
import { expireUserPassword, setUserPassword } from "../../services/user-credentials.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import { writeErrors } from "./errors.js";
import { UserPayload } from "./user.js";

type PasswordFields = InputFieldBuilder<typeof builder.$inferSchemaTypes, "InputObject">;

const ExpireUserPasswordInput = builder.inputType("ExpireUserPasswordInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const newPasswordFields = {
  fields: (t: PasswordFields) => ({
    id: t.id({ required: true }),
    password: t.string({ required: true, description: "At least 8 characters, at most 256 bytes, not the user's email or login id." }),
  }),
};
const SetUserPasswordInput = builder.inputType("SetUserPasswordInput", newPasswordFields);
const SetUserTemporaryPasswordInput = builder.inputType("SetUserTemporaryPasswordInput", newPasswordFields);

builder.mutationFields((t) => ({
  expireUserPassword: t.field({
    type: UserPayload,
    description: "Marks the password expired: the user must choose a new one at the next sign-in.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ExpireUserPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await expireUserPassword(context.prisma, actorOf(context), { id: String(input.id) }) }),
  }),
  setUserPassword: t.field({
    type: UserPayload,
    description: "Sets the active password; clears the expired and temporary flags.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: SetUserPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({
      user: await setUserPassword(context.prisma, actorOf(context), { id: String(input.id), password: input.password, temporary: false }),
    }),
  }),
  setUserTemporaryPassword: t.field({
    type: UserPayload,
    description: "Sets a temporary password: it signs the user in once, then must be replaced.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: SetUserTemporaryPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({
      user: await setUserPassword(context.prisma, actorOf(context), { id: String(input.id), password: input.password, temporary: true }),
    }),
  }),
}));
