// A user's profile as the user services take it (already validated and normalised at the edge),
// and the rules every profile change keeps.
import type { Prisma } from "../generated/prisma/client.js";
import { ValidationError } from "./errors.js";

/** The fields seed 001's "update user" overwrites: identifiers, names, picture, metadata. */
export type Profile = {
  email: string | null;
  emailVerified: boolean;
  phone: string | null;
  phoneVerified: boolean;
  username: string | null;
  name: string | null;
  givenName: string | null;
  familyName: string | null;
  middleName: string | null;
  nickname: string | null;
  picture: string | null;
  userMetadata: Prisma.InputJsonObject;
  appMetadata: Prisma.InputJsonObject;
  customAttributes: Prisma.InputJsonObject;
};

export const profileFields = [
  "email",
  "emailVerified",
  "phone",
  "phoneVerified",
  "username",
  "name",
  "givenName",
  "familyName",
  "middleName",
  "nickname",
  "picture",
  "userMetadata",
  "appMetadata",
  "customAttributes",
] as const satisfies ReadonlyArray<keyof Profile>;

/**
 * A changed email or phone is unverified unless the same change sets its flag: the proof of
 * ownership belonged to the old value.
 */
export function resetVerification(before: Pick<Profile, "email" | "phone">, changes: Partial<Profile>): void {
  if (changes.email !== undefined && changes.email !== before.email && changes.emailVerified === undefined) changes.emailVerified = false;
  if (changes.phone !== undefined && changes.phone !== before.phone && changes.phoneVerified === undefined) changes.phoneVerified = false;
}

/** A user must keep some way to be found and to sign in: an email, a login id or a phone. */
export function checkHasIdentifier(profile: Pick<Profile, "email" | "username" | "phone">, path: string): void {
  if (!profile.email && !profile.username && !profile.phone) {
    throw new ValidationError(`${path}.email`, "A user needs at least one of an email address, a login id (username) or a phone number");
  }
}
