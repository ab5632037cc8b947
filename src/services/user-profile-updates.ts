// Seed 001's single-purpose updates: email, login id, phone, display name, picture, custom
// attributes. Each touches only its fields. Email and login id are what a user signs in with, so
// changing them needs the target ceiling (./user-changes.ts); the phone is no sign-in identifier
// here (the password grant and passkey sign-in look users up by email or login id only), so it
// stays a plain `users:write` change with the names, the picture and the attributes.
import type { PrismaClient, User } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { checkJsonSize, mergeFirstLevel } from "./json-objects.js";
import { changeUser } from "./user-changes.js";
import { checkHasIdentifier, resetVerification, type Profile } from "./user-profile.js";

/** The audit action of each part of the profile a single-purpose update changes. */
const actions = {
  email: "user.email.update",
  loginId: "user.username.update",
  phone: "user.phone.update",
  displayName: "user.displayName.update",
  picture: "user.picture.update",
} as const;

export type ProfilePart = keyof typeof actions;

/** Applies the given profile fields (already validated) the way updateUser does. */
export function updateUserProfile(
  prisma: PrismaClient,
  actor: Actor,
  input: { id: string; part: ProfilePart; changes: Partial<Profile> },
): Promise<User> {
  return changeUser(prisma, actor, input.id, actions[input.part], (before) => {
    const data = { ...input.changes };
    resetVerification(before, data);
    checkHasIdentifier({ ...before, ...data }, "input");
    return data;
  });
}

/** Merges keys into the stored custom attributes one level deep (a key given null is removed). */
export function mergeUserCustomAttributes(
  prisma: PrismaClient,
  actor: Actor,
  input: { id: string; customAttributes: Record<string, unknown> },
): Promise<User> {
  return changeUser(prisma, actor, input.id, "user.customAttributes.update", (before) => {
    const merged = mergeFirstLevel(before.customAttributes, input.customAttributes);
    checkJsonSize("input.customAttributes", merged);
    return { customAttributes: merged as Profile["customAttributes"] };
  });
}
