// Roles, role members and permissions as Auth0's Management API v2 shows them.
import type { V2RoleFragment, V2RoleUsersQuery, V2UserPermissionsQuery } from "../../generated/graphql.js";
import { v2UserId } from "./user-shape.js";

export function toV2Role(role: V2RoleFragment) {
  return { id: role.id, name: role.name, description: role.description ?? undefined };
}

type Member = V2RoleUsersQuery["users"]["edges"][number]["node"];

/** A member of a role: `{user_id, email, name, picture}`. */
export function toV2RoleMember(user: Member) {
  return { user_id: v2UserId(user), email: user.email ?? undefined, name: user.name ?? undefined, picture: user.picture ?? undefined };
}

type PermissionRole = NonNullable<V2UserPermissionsQuery["user"]>["roles"][number];

export type V2Permission = {
  permission_name: string;
  description: string | undefined;
  resource_server_name: string;
  resource_server_identifier: string;
  sources: Array<{ source_id: string; source_name: string; source_type: "ROLE" }>;
};

/**
 * Every scope the roles grant, once per API and name, with the roles that grant it (`sources`),
 * ordered by API identifier, then name.
 */
export function toV2Permissions(roles: PermissionRole[]): V2Permission[] {
  const byKey = new Map<string, V2Permission>();
  for (const role of roles) {
    for (const scope of role.scopes) {
      const key = `${scope.resource.indicator}\u0000${scope.name}`;
      const permission = byKey.get(key) ?? {
        permission_name: scope.name,
        description: scope.description ?? undefined,
        resource_server_name: scope.resource.name,
        resource_server_identifier: scope.resource.indicator,
        sources: [],
      };
      permission.sources.push({ source_id: role.id, source_name: role.name, source_type: "ROLE" });
      byKey.set(key, permission);
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      a.resource_server_identifier.localeCompare(b.resource_server_identifier) || a.permission_name.localeCompare(b.permission_name),
  );
}
