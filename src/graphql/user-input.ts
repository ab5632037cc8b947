// User profile input as the mutations receive it, validated and normalised before anything is
// written. Each check names the offending field as a dotted path under `path` (`input`, or
// `input.users.3` for a row of a batch), so a batch reports every row's own problem.
//
// Absent and null differ: an absent field (undefined) is "not given", null is "clear it".
// Clearing gives the field's empty value: null for text, false for a flag, {} for a JSON object.
import { EmailAddressResolver } from "graphql-scalars";
import type { Prisma } from "../generated/prisma/client.js";
import { ValidationError } from "../services/errors.js";
import { profileFields, type Profile } from "../services/user-profile.js";
import { checkJsonSize, checkLength, limits } from "./input-limits.js";

export type ProfileInput = {
  [Field in keyof Profile]?: (Profile[Field] extends Prisma.InputJsonObject ? Record<string, unknown> : Profile[Field]) | null;
};

const textLimits = { username: 128, email: 254, picture: 2_048 } as const;

/** Lower-cased; the rules of graphql-scalars' EmailAddress, at most 254 characters. */
export function normaliseEmail(field: string, value: string): string {
  const email = value.trim().toLowerCase();
  if (email.length > textLimits.email) throw new ValidationError(field, `${field} must be at most ${textLimits.email} characters`);
  try {
    EmailAddressResolver.parseValue(email);
  } catch {
    throw new ValidationError(field, `${field} is not a valid email address`);
  }
  return email;
}

/** E.164 (`+` and up to 15 digits); spaces, dots, dashes and parentheses are dropped first. */
export function normalisePhone(field: string, value: string): string {
  const phone = value.replace(/[\s().-]/g, "");
  if (!/^\+[1-9]\d{1,14}$/.test(phone)) {
    throw new ValidationError(field, `${field} must be an E.164 phone number such as +14155550123`);
  }
  return phone;
}

/** The login id: lower-cased so that it is unique per realm in any letter case, no spaces. */
export function normaliseUsername(field: string, value: string): string {
  const username = value.trim().toLowerCase();
  checkLength(field, username, textLimits.username);
  if (!/^[^\s\p{C}]+$/u.test(username)) throw new ValidationError(field, `${field} must not contain spaces or control characters`);
  return username;
}

/** An absolute http(s) URL; kept as given. */
export function checkPicture(field: string, value: string): string {
  const picture = value.trim();
  if (picture.length > textLimits.picture) throw new ValidationError(field, `${field} must be at most ${textLimits.picture} characters`);
  let url: URL;
  try {
    url = new URL(picture);
  } catch {
    throw new ValidationError(field, `${field} must be an absolute URL`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new ValidationError(field, `${field} must be an http or https URL`);
  return picture;
}

function checkName(field: string, value: string): string {
  checkLength(field, value, limits.nameLength);
  return value.trim();
}

function checkJsonObject(field: string, value: Record<string, unknown>): Prisma.InputJsonObject {
  checkJsonSize(field, value);
  return value as Prisma.InputJsonObject;
}

const normalisers: { [Field in keyof Profile]: (field: string, value: NonNullable<ProfileInput[Field]>) => Profile[Field] } = {
  email: normaliseEmail,
  emailVerified: (_field, value) => value,
  phone: normalisePhone,
  phoneVerified: (_field, value) => value,
  username: normaliseUsername,
  name: checkName,
  givenName: checkName,
  familyName: checkName,
  middleName: checkName,
  nickname: checkName,
  picture: checkPicture,
  userMetadata: checkJsonObject,
  appMetadata: checkJsonObject,
  customAttributes: checkJsonObject,
};

const emptyProfile: Profile = {
  email: null,
  emailVerified: false,
  phone: null,
  phoneVerified: false,
  username: null,
  name: null,
  givenName: null,
  familyName: null,
  middleName: null,
  nickname: null,
  picture: null,
  userMetadata: {},
  appMetadata: {},
  customAttributes: {},
};

function readField<Field extends keyof Profile>(input: ProfileInput, field: Field, path: string): Profile[Field] {
  const value = input[field];
  if (value === null || value === undefined) return emptyProfile[field];
  return normalisers[field](`${path}.${field}`, value as NonNullable<ProfileInput[Field]>);
}

/** Every profile field: absent and null both give the empty value (create, replace). */
export function readFullProfile(input: ProfileInput, path: string): Profile {
  const profile = { ...emptyProfile };
  for (const field of profileFields) (profile as Record<string, unknown>)[field] = readField(input, field, path);
  return profile;
}

/** Only the fields given: absent leaves the field alone, null clears it (partial updates). */
export function readProfileChanges(input: ProfileInput, path: string): Partial<Profile> {
  const changes: Partial<Profile> = {};
  for (const field of profileFields) {
    if (input[field] !== undefined) (changes as Record<string, unknown>)[field] = readField(input, field, path);
  }
  return changes;
}

/** The Auth0-style user_id prefix: letters, digits, `-` and `_`. */
export function checkConnection(field: string, value: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/.test(value)) {
    throw new ValidationError(field, `${field} must be 1-128 letters, digits, "-" or "_", starting with a letter or digit`);
  }
  return value;
}
