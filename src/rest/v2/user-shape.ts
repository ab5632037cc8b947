// A user as seed 000/002 show it: snake_case, `user_id` = "<connection>|<id>", `blocked`.
import type { V2UserFragment } from "../../generated/graphql.js";

export function v2UserId(user: Pick<V2UserFragment, "connection" | "id">): string {
  return `${user.connection}|${user.id}`;
}

/** Splits an Auth0-style user_id; a bare `usr_…` id is accepted too. */
export function parseV2UserId(value: string): { connection: string | null; id: string } {
  const bar = value.lastIndexOf("|");
  return bar < 0 ? { connection: null, id: value } : { connection: value.slice(0, bar), id: value.slice(bar + 1) };
}

export function toV2User(user: V2UserFragment) {
  return {
    user_id: v2UserId(user),
    email: user.email,
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
  };
}
