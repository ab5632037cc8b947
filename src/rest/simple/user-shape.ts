// A user as seed 004 shows it. Our statuses map onto the seed's: `invited` is its `pending`;
// `suspended` (blocked from signing in), which the seed does not know, is shown as itself.
// `role` is the name of the user's first realm-wide role (oldest role first, the order GraphQL
// lists them in) or null; `settings` is `user_metadata.settings`. Times are RFC 3339 at UTC to
// the second, as the seed writes them.
import type { SimpleUserDetailFragment, SimpleUserFragment, UserStatus } from "../../generated/graphql.js";

export const profileStatuses = ["active", "inactive", "pending", "suspended"] as const;
export type ProfileStatus = (typeof profileStatuses)[number];

const toProfile: Record<UserStatus, ProfileStatus> = { active: "active", inactive: "inactive", invited: "pending", suspended: "suspended" };
const fromProfile: Record<ProfileStatus, UserStatus> = { active: "active", inactive: "inactive", pending: "invited", suspended: "suspended" };

export const profileStatus = (status: UserStatus): ProfileStatus => toProfile[status];
export const graphqlStatus = (status: ProfileStatus): UserStatus => fromProfile[status];

/**
 * "2023-01-15T08:30:00.123Z" → "2023-01-15T08:30:00Z". Operations run in-process, so a
 * DateTime arrives as the scalar's serialised value: a Date here, whatever codegen's type says.
 */
export const seedTime = (value: string | Date) => new Date(value).toISOString().replace(/\.\d+Z$/, "Z");

export const roleOf = (user: Pick<SimpleUserFragment, "roles">): string | null => user.roles[0]?.name ?? null;

/** The settings object kept in the user's metadata; {} when there is none. */
export function settingsOf(userMetadata: Record<string, unknown>): Record<string, unknown> {
  const settings = userMetadata.settings;
  return typeof settings === "object" && settings !== null && !Array.isArray(settings) ? (settings as Record<string, unknown>) : {};
}

/** Seed: POST /users answers these fields. */
export function createdUser(user: SimpleUserFragment) {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: roleOf(user),
    status: profileStatus(user.status),
    created_at: seedTime(user.createdAt),
  };
}

/** Seed: each item of GET /users. */
export function listedUser(user: SimpleUserFragment) {
  return { ...createdUser(user), last_login: user.lastLoginAt && seedTime(user.lastLoginAt) };
}

/** Seed: GET /users/{user_id}. */
export function userDetail(user: SimpleUserDetailFragment) {
  return { ...listedUser(user), settings: settingsOf(user.userMetadata) };
}

/** Seed: PUT /users/{user_id}. */
export function updatedUser(user: SimpleUserFragment) {
  return { ...createdUser(user), updated_at: seedTime(user.updatedAt) };
}
