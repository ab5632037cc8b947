// The bodies of POST and PATCH /users (seed 000, Auth0's field names) as zod schemas, the
// contract of those routes, and their translation into the GraphQL user inputs.
import { z } from "zod";
import type { UserStatus } from "../../generated/graphql.js";

const text = z.string().max(2048);
const clearableText = text.nullable();
const metadata = z.record(z.string(), z.unknown());

/** Accepted for compatibility; usergate sends no email. */
const verifyEmail = z.boolean();

export const createUserBody = z.strictObject({
  connection: z.string().min(1).max(128),
  email: text.optional(),
  email_verified: z.boolean().optional(),
  phone_number: text.optional(),
  phone_verified: z.boolean().optional(),
  username: text.optional(),
  password: z.string().max(1024).optional(),
  name: text.optional(),
  given_name: text.optional(),
  family_name: text.optional(),
  nickname: text.optional(),
  picture: text.optional(),
  user_metadata: metadata.optional(),
  app_metadata: metadata.optional(),
  blocked: z.boolean().optional(),
  verify_email: verifyEmail.optional(),
});

/** PATCH: the same fields, all optional; null clears a text field other than email. */
export const updateUserBody = z.strictObject({
  /** Names the connection whose credentials change; a user has one, so it is only checked. */
  connection: z.string().min(1).max(128).optional(),
  email: text.optional(),
  email_verified: z.boolean().optional(),
  phone_number: clearableText.optional(),
  phone_verified: z.boolean().optional(),
  username: clearableText.optional(),
  password: z.string().max(1024).optional(),
  name: clearableText.optional(),
  given_name: clearableText.optional(),
  family_name: clearableText.optional(),
  nickname: clearableText.optional(),
  picture: clearableText.optional(),
  user_metadata: metadata.optional(),
  app_metadata: metadata.optional(),
  blocked: z.boolean().optional(),
  verify_email: verifyEmail.optional(),
});

export type ProfileBody = z.infer<typeof updateUserBody>;

/** The GraphQL input fields of a v2 body's profile fields (absent stays absent). */
export function profileInput(body: ProfileBody) {
  return {
    email: body.email,
    emailVerified: body.email_verified,
    phone: body.phone_number,
    phoneVerified: body.phone_verified,
    username: body.username,
    password: body.password,
    name: body.name,
    givenName: body.given_name,
    familyName: body.family_name,
    nickname: body.nickname,
    picture: body.picture,
  };
}

export const withoutUndefined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

/**
 * Auth0's PATCH of user_metadata and app_metadata: merged into the stored object at the first
 * level (by the mutation, on the row as it is when the write runs), and `{}` clears it.
 */
export function metadataPatch(field: "userMetadata" | "appMetadata", patch: Record<string, unknown> | undefined) {
  if (patch === undefined) return {};
  if (Object.keys(patch).length === 0) return { [field]: {} };
  return { [field === "userMetadata" ? "mergeUserMetadata" : "mergeAppMetadata"]: patch };
}

/** `blocked` as a status change: true suspends, false lifts a suspension (else no change). */
export function statusChange(status: UserStatus, blocked: boolean | undefined): UserStatus | undefined {
  if (blocked === true && status !== "suspended") return "suspended";
  if (blocked === false && status === "suspended") return "active";
  return undefined;
}
