// Creating, updating, replacing, (de)activating and deleting one user (seed 001). Batches are in
// ./user-batch-mutations.ts, single-field updates in ./user-profile-mutations.ts, passwords in
// ./user-password-mutations.ts.
//
// Semantics, the same in every user mutation:
// - absent field = leave it alone; null = clear it (null for text, false for a flag, {} for a
//   JSON object); replaceUser instead overwrites every profile field, absent ones included;
// - userMetadata, appMetadata and customAttributes given to updateUser/replaceUser replace the
//   whole object; updateUser's mergeUserMetadata / mergeAppMetadata and
//   updateUserCustomAttributes merge keys into the stored object, inside the write's transaction;
// - a new user is `invited` unless a status is given: seed 001 turns it `active` on first sign-in;
// - email and login id are stored lower-cased and unique per realm in any letter case;
// - a changed email or phone becomes unverified unless the same input sets the flag.
import type { InputFieldBuilder } from "@pothos/core";
import { passwordPolicyViolation } from "../../services/passwords.js";
import { ValidationError } from "../../services/errors.js";
import { createUser, deleteUser, replaceUser, setUserStatus, updateUser, type NewUser, type UserUpdate } from "../../services/user-lifecycle.js";
import { checkHasIdentifier } from "../../services/user-profile.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkListSize } from "../input-limits.js";
import { checkConnection, readFullProfile, readProfileChanges } from "../user-input.js";
import { writeErrors } from "./errors.js";
import { DeletePayload } from "./resource.js";
import { UserPayload, UserStatus } from "./user.js";

type Fields = InputFieldBuilder<typeof builder.$inferSchemaTypes, "InputObject">;

/** The profile fields, shared by the create, update and replace inputs. */
export const profileInputFields = (t: Fields) => ({
  email: t.string({ description: "Email address (graphql-scalars EmailAddress rules); stored lower-cased, unique per realm in any letter case." }),
  emailVerified: t.boolean(),
  phone: t.string({ description: "E.164 phone number, such as +14155550123 (spaces, dashes, dots and parentheses are dropped)." }),
  phoneVerified: t.boolean(),
  username: t.string({ description: "The login id; stored lower-cased, unique per realm in any letter case." }),
  name: t.string({ description: "Display name." }),
  givenName: t.string(),
  familyName: t.string(),
  middleName: t.string(),
  nickname: t.string(),
  picture: t.string({ description: "Absolute http(s) URL." }),
  userMetadata: t.field({ type: "JSONObject", description: "Data the user may edit; at most 16 KB of JSON." }),
  appMetadata: t.field({ type: "JSONObject", description: "Data only applications set; at most 16 KB of JSON." }),
  customAttributes: t.field({ type: "JSONObject", description: "Seed 001 custom attributes; at most 16 KB of JSON." }),
});

export const CreateUserInput = builder.inputType("CreateUserInput", {
  description: "A new user. It needs an email, a login id or a phone; every other field may be left out.",
  fields: (t) => ({
    ...profileInputFields(t),
    password: t.string({ description: "At least 8 characters, at most 256 bytes, not the email or login id. Stored as an argon2id hash." }),
    status: t.field({ type: UserStatus, description: "Defaults to invited: the first sign-in makes the user active." }),
    connection: t.string({ description: 'Prefix of the Auth0-style user_id; defaults to "usergate".' }),
    roleIds: t.idList({ description: "Realm-wide roles to grant; needs the users:roles scope as well." }),
    tenantIds: t.idList({ description: "Tenants the user joins." }),
  }),
});

const UpdateUserInput = builder.inputType("UpdateUserInput", {
  description: "A partial update: absent fields stay as they are, null clears a field. JSON objects given replace the stored ones.",
  fields: (t) => ({
    id: t.id({ required: true }),
    ...profileInputFields(t),
    mergeUserMetadata: t.field({ type: "JSONObject", description: mergeDescription("userMetadata") }),
    mergeAppMetadata: t.field({ type: "JSONObject", description: mergeDescription("appMetadata") }),
    roleIds: t.idList({
      description: "Replaces the user's realm-wide roles with exactly these (null or [] clears them), in the same transaction; needs the users:roles scope as well.",
    }),
    status: t.field({ type: UserStatus }),
    password: t.string({ description: "Sets a new active password (as setUserPassword); null removes the password." }),
  }),
});

function mergeDescription(field: string): string {
  return `Merged into the stored ${field} at the first level: each key given replaces its value, a key given null is removed. Applied to the row as it is when the write runs, so concurrent merges of different keys all land. Not together with ${field}.`;
}

/** The metadata merges of an updateUser input; the service applies them to the row as it is when the write runs. */
function metadataMerges(input: typeof UpdateUserInput.$inferInput): UserUpdate["merges"] {
  const merges: UserUpdate["merges"] = {};
  for (const [mergeField, field] of [["mergeUserMetadata", "userMetadata"], ["mergeAppMetadata", "appMetadata"]] as const) {
    const patch = input[mergeField];
    if (patch === undefined) continue;
    if (patch === null) throw new ValidationError(`input.${mergeField}`, `input.${mergeField} cannot be null; give an object of keys to merge`);
    if (input[field] !== undefined) throw new ValidationError(`input.${mergeField}`, `Give input.${field} or input.${mergeField}, not both`);
    merges[field] = patch;
  }
  return merges;
}

const ReplaceUserInput = builder.inputType("ReplaceUserInput", {
  description:
    "A full overwrite of the profile (seed 001 Update User): every profile field not given is cleared. Status, password, connection, roles and tenants are kept.",
  fields: (t) => ({ id: t.id({ required: true }), ...profileInputFields(t) }),
});

const SetUserStatusInput = builder.inputType("SetUserStatusInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    status: t.field({ type: UserStatus, required: true, description: "suspended and inactive also end the user's sessions." }),
  }),
});

const DeleteUserInput = builder.inputType("DeleteUserInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

/** Validates a create input (`path` is `input` or `input.users.N`). */
export function readNewUser(input: typeof CreateUserInput.$inferInput, path: string): NewUser {
  const profile = readFullProfile(input, path);
  checkHasIdentifier(profile, path);
  checkListSize(`${path}.roleIds`, input.roleIds);
  checkListSize(`${path}.tenantIds`, input.tenantIds);
  const password = input.password ?? null;
  if (password !== null) {
    const violation = passwordPolicyViolation(password, profile, `${path}.password`);
    if (violation) throw violation;
  }
  return {
    profile,
    status: input.status ?? "invited",
    connection: input.connection == null ? "usergate" : checkConnection(`${path}.connection`, input.connection),
    password,
    roleIds: [...new Set((input.roleIds ?? []).map(String))],
    tenantIds: [...new Set((input.tenantIds ?? []).map(String))],
  };
}

builder.mutationFields((t) => ({
  createUser: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateUserInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await createUser(context.prisma, actorOf(context), readNewUser(input, "input")) }),
  }),
  updateUser: t.field({
    type: UserPayload,
    description: "Changes only the fields given; null clears a field.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      if (input.status === null) throw new ValidationError("input.status", "input.status cannot be cleared; leave it out to keep it");
      const roleIds = input.roleIds === undefined ? undefined : [...new Set((input.roleIds ?? []).map(String))];
      checkListSize("input.roleIds", roleIds);
      const update: UserUpdate = {
        id: String(input.id),
        profile: readProfileChanges(input, "input"),
        merges: metadataMerges(input),
        status: input.status,
        password: input.password,
        roleIds,
      };
      return { user: await updateUser(context.prisma, actorOf(context), update) };
    },
  }),
  replaceUser: t.field({
    type: UserPayload,
    description: "Overwrites every profile field: the ones not given are cleared (seed 001 Update User).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ReplaceUserInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const profile = readFullProfile(input, "input");
      checkHasIdentifier(profile, "input");
      return { user: await replaceUser(context.prisma, actorOf(context), { id: String(input.id), profile }) };
    },
  }),
  setUserStatus: t.field({
    type: UserPayload,
    description: "Activates, invites, suspends or deactivates the user (seed 001 Update User Status).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: SetUserStatusInput, required: true }) },
    resolve: async (_root, { input }, context) => ({
      user: await setUserStatus(context.prisma, actorOf(context), { id: String(input.id), status: input.status }),
    }),
  }),
  deleteUser: t.field({
    type: DeletePayload,
    description: "Deletes the user with its sessions, roles, memberships, identities, passkeys and login history.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteUserInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await deleteUser(context.prisma, actorOf(context), { id: String(input.id) });
      return { deletedId: String(input.id) };
    },
  }),
}));
