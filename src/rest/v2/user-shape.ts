// A user as seeds 000/002 show it: snake_case, `user_id` = "<connection>|<id>", `blocked`, no
// password, read-only `identities`. `fields`/`include_fields` pick what a response shows.
import type { Context } from "hono";
import { z } from "zod";
import type { V2UserCoreFragment, V2UserFragment } from "../../generated/graphql.js";
import { decodeId } from "../../graphql/global-id.js";
import { v2Error } from "./errors.js";
import { booleanParam } from "./query-params.js";

export function v2UserId(user: Pick<V2UserCoreFragment, "connection" | "id">): string {
  return `${user.connection}|${user.id}`;
}

/** A connection name as GraphQL accepts it (the user_id prefix). */
export const connectionPattern = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

export type UserRef = { connection: string | null; id: string };

/** Splits an Auth0-style user_id; a bare `usr_…` id is accepted too. Null when malformed. */
export function parseV2UserId(value: string): UserRef | null {
  const bar = value.lastIndexOf("|");
  const ref = bar < 0 ? { connection: null, id: value } : { connection: value.slice(0, bar), id: value.slice(bar + 1) };
  if (decodeId(ref.id).typename !== "User") return null;
  if (ref.connection !== null && !connectionPattern.test(ref.connection)) return null;
  return ref;
}

/** The user_id of the path, or the 400 to send for one that cannot name a user. */
export function pathUserId(c: Context, param = "id"): UserRef | Response {
  const value = c.req.param(param) ?? "";
  return (
    parseV2UserId(value) ??
    v2Error(c, 400, `Path validation error: ${param} must be a user_id such as "usergate|usr_01…" (got ${JSON.stringify(value.slice(0, 100))})`, "invalid_uri")
  );
}

/** Whether the user found is the one the user_id names (its connection prefix, when given, matches). */
export const isNamedUser = (ref: UserRef, user: { connection: string } | null | undefined): user is { connection: string } =>
  !!user && (ref.connection === null || ref.connection === user.connection);

type Identities = V2UserFragment["identities"];

/**
 * The v2 body of a user. Reads select `identities` with it (V2User); mutations return the core
 * fields only (V2UserCore), and their answer takes the identities read before, if any.
 */
export function toV2User(user: V2UserCoreFragment & { identities?: Identities }, identities: Identities | undefined = user.identities) {
  return {
    user_id: v2UserId(user),
    email: user.email ?? undefined,
    email_verified: user.emailVerified,
    username: user.username ?? undefined,
    phone_number: user.phone ?? undefined,
    phone_verified: user.phone ? user.phoneVerified : undefined,
    name: user.name ?? undefined,
    given_name: user.givenName ?? undefined,
    family_name: user.familyName ?? undefined,
    nickname: user.nickname ?? undefined,
    picture: user.picture ?? undefined,
    created_at: user.createdAt,
    updated_at: user.updatedAt,
    last_login: user.lastLoginAt ?? undefined,
    last_ip: user.lastLoginIp ?? undefined,
    logins_count: user.loginsCount,
    blocked: user.status === "suspended",
    user_metadata: user.userMetadata,
    app_metadata: user.appMetadata,
    identities: (identities ?? []).map((identity) => ({
      connection: identity.connection,
      user_id: identity.providerUserId,
      provider: identity.provider,
      isSocial: identity.isSocial,
    })),
  };
}

export type V2User = ReturnType<typeof toV2User>;

/** Every field a v2 user body can have: the names `fields` may list. */
export const v2UserFields = [
  "user_id",
  "email",
  "email_verified",
  "username",
  "phone_number",
  "phone_verified",
  "name",
  "given_name",
  "family_name",
  "nickname",
  "picture",
  "created_at",
  "updated_at",
  "last_login",
  "last_ip",
  "logins_count",
  "blocked",
  "user_metadata",
  "app_metadata",
  "identities",
] as const;

const knownFields = new Set<string>(v2UserFields);

/** `fields` (comma-separated names of v2UserFields) and `include_fields` (default true). */
export const fieldsParams = {
  fields: z
    .string()
    .transform((value) => value.split(",").map((name) => name.trim()).filter((name) => name !== ""))
    .refine((names) => names.every((name) => knownFields.has(name)), {
      message: `must list only ${v2UserFields.join(", ")}`,
    })
    .optional(),
  include_fields: booleanParam.default(true),
};

export type FieldsQuery = { fields?: string[] | undefined; include_fields: boolean };

/** The body with only the fields asked for (or without those, when include_fields=false). */
export function pickFields(user: V2User, query: FieldsQuery): Partial<V2User> {
  if (!query.fields || query.fields.length === 0) return user;
  const listed = new Set(query.fields);
  return Object.fromEntries(Object.entries(user).filter(([name]) => listed.has(name) === query.include_fields)) as Partial<V2User>;
}
