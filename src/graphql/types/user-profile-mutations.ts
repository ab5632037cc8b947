// Seed 001's single-purpose updates: email, login id, phone, display name, picture, custom
// attributes. Each touches only its fields. The one-value mutations require their field to be
// present: a value sets it, null removes it (leaving it out is an error, not a silent no-op).
import { ValidationError } from "../../services/errors.js";
import { mergeUserCustomAttributes, updateUserProfile, type ProfilePart } from "../../services/user-profile-updates.js";
import type { Profile } from "../../services/user-profile.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkJsonSize } from "../input-limits.js";
import { readProfileChanges, type ProfileInput } from "../user-input.js";
import { writeErrors } from "./errors.js";
import { UserPayload } from "./user.js";

const UpdateUserEmailInput = builder.inputType("UpdateUserEmailInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    email: t.string({ description: "Required: the new address, or null to remove it. Stored lower-cased." }),
    emailVerified: t.boolean({ description: "Defaults to false when the address changes." }),
  }),
});

const UpdateUserLoginIdInput = builder.inputType("UpdateUserLoginIdInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    username: t.string({ description: "Required: the new login id, or null to remove it. Stored lower-cased." }),
  }),
});

const UpdateUserPhoneInput = builder.inputType("UpdateUserPhoneInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    phone: t.string({ description: "Required: an E.164 number, or null to remove it." }),
    phoneVerified: t.boolean({ description: "Defaults to false when the number changes." }),
  }),
});

const UpdateUserDisplayNameInput = builder.inputType("UpdateUserDisplayNameInput", {
  description: "At least one name field; absent ones stay, null clears one.",
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string({ description: "The display name." }),
    givenName: t.string(),
    middleName: t.string(),
    familyName: t.string(),
    nickname: t.string(),
  }),
});

const UpdateUserPictureInput = builder.inputType("UpdateUserPictureInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    picture: t.string({ description: "Required: an absolute http(s) URL, or null to remove it." }),
  }),
});

const UpdateUserCustomAttributesInput = builder.inputType("UpdateUserCustomAttributesInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    customAttributes: t.field({
      type: "JSONObject",
      required: true,
      description: "Merged into the stored attributes one level deep: each key given replaces its value, a key set to null is removed, other keys stay.",
    }),
  }),
});

function requirePresent(input: ProfileInput, field: keyof Profile): void {
  if (input[field] === undefined) throw new ValidationError(`input.${field}`, `input.${field} is required: give a value, or null to remove it`);
}

/** Validates the given profile fields and has the service apply them. */
function updateProfile(context: GraphQLContext, id: string, part: ProfilePart, input: ProfileInput) {
  return updateUserProfile(context.prisma, actorOf(context), { id, part, changes: readProfileChanges(input, "input") });
}

builder.mutationFields((t) => ({
  updateUserEmail: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserEmailInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requirePresent(input, "email");
      return { user: await updateProfile(context, String(input.id), "email", { email: input.email, emailVerified: input.emailVerified }) };
    },
  }),
  updateUserLoginId: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserLoginIdInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requirePresent(input, "username");
      return { user: await updateProfile(context, String(input.id), "loginId", { username: input.username }) };
    },
  }),
  updateUserPhone: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserPhoneInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requirePresent(input, "phone");
      return { user: await updateProfile(context, String(input.id), "phone", { phone: input.phone, phoneVerified: input.phoneVerified }) };
    },
  }),
  updateUserDisplayName: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserDisplayNameInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const { id, ...names } = input;
      if (Object.values(names).every((value) => value === undefined)) {
        throw new ValidationError("input.name", "Give at least one of name, givenName, middleName, familyName, nickname");
      }
      return { user: await updateProfile(context, String(id), "displayName", names) };
    },
  }),
  updateUserPicture: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserPictureInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      requirePresent(input, "picture");
      return { user: await updateProfile(context, String(input.id), "picture", { picture: input.picture }) };
    },
  }),
  updateUserCustomAttributes: t.field({
    type: UserPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateUserCustomAttributesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkJsonSize("input.customAttributes", input.customAttributes);
      const user = await mergeUserCustomAttributes(context.prisma, actorOf(context), { id: String(input.id), customAttributes: input.customAttributes });
      return { user };
    },
  }),
}));
