// Passwords set by an administrator (seed 001): expire, set active, set temporary. A password is
// checked against the policy, hashed (argon2id, off the event loop) before the transaction
// opens, and never returned, logged or audited: the audit event records only that it changed.
import type { InputFieldBuilder } from "@pothos/core";
import { ValidationError } from "../../services/errors.js";
import { hashPassword, passwordPolicyViolation } from "../../services/passwords.js";
import { realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { findUserInRealm } from "../../services/realm-lookups.js";
import { changeUser, type UserChange } from "../user-writes.js";
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

/** The new password's columns, once it passed the policy for the user it will belong to. */
export async function passwordChange(
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

async function setPassword(context: GraphQLContext, id: string, password: string, temporary: boolean) {
  // Read first so that an unknown id or a refused password costs no hashing.
  const current = await findUserInRealm(context.prisma, id, realmOf(context));
  const change = await passwordChange(password, current, temporary);
  return changeUser(context, id, temporary ? "user.password.setTemporary" : "user.password.set", (before) => {
    const violation = passwordPolicyViolation(password, before); // the email may have changed meanwhile
    if (violation) throw violation;
    return change;
  });
}

builder.mutationFields((t) => ({
  expireUserPassword: t.field({
    type: UserPayload,
    description: "Marks the password expired: the user must choose a new one at the next sign-in.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ExpireUserPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({
      user: await changeUser(context, String(input.id), "user.password.expire", (before) => {
        if (before.passwordHash === null) throw new ValidationError("input.id", `User ${before.id} has no password to expire`);
        return { passwordExpired: true };
      }),
    }),
  }),
  setUserPassword: t.field({
    type: UserPayload,
    description: "Sets the active password; clears the expired and temporary flags.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: SetUserPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await setPassword(context, String(input.id), input.password, false) }),
  }),
  setUserTemporaryPassword: t.field({
    type: UserPayload,
    description: "Sets a temporary password: it signs the user in once, then must be replaced.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: SetUserTemporaryPasswordInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await setPassword(context, String(input.id), input.password, true) }),
  }),
}));
