// What it takes to read each type of the schema, in one place: the scope its own queries require.
// The same scope guards the type wherever else it appears (a mutation's payload, a link from
// another type, `node(id)`): see ./use-read-scopes.ts and the node queries in ./builder.ts.
// Types absent here hold no data of their own (payloads, connections, errors).
import type { ManagementScope } from "./builder.js";

export const readScopes: Readonly<Record<string, ManagementScope>> = {
  User: "users:read",
  Tenant: "users:read",
  Session: "users:read",
  LoginEvent: "users:read",
  Passkey: "users:read",
  Identity: "users:read",
  ProviderToken: "users:tokens",
  Role: "roles:read",
  Application: "applications:read",
  // Management keys are managed as applications are (`managementKeys` needs applications:read).
  ManagementKey: "applications:read",
  Resource: "resources:read",
  Scope: "resources:read",
  AuditEvent: "audit:read",
  // realms:read exists in the admin realm only; the caller's own realm reads through `realm`.
  Realm: "realms:read",
  // Each realm's keys sign its API resources' tokens: read as resources are (`signingKeys`).
  SigningKey: "resources:read",
};

/**
 * Links whose far side is also readable with other scopes, because it is part of what those
 * scopes manage (seed 003's tables say so): whoever assigns a user's roles sees that user's roles
 * (the `roles` field and the roles themselves), a user's reader sees which roles the user holds,
 * an application's reader sees its roles, a role's reader sees its scopes. Only the objects right
 * behind the link: what they link to in turn needs its own type's scope.
 */
export const linkReadScopes: Readonly<Record<string, readonly ManagementScope[]>> = {
  "User.roles": ["users:read", "users:roles"],
  "Query.userRoles": ["users:roles"],
  "Application.roles": ["applications:read"],
  "Role.scopes": ["roles:read"],
};

/**
 * Root query fields that answer the calling principal's own object: reading it needs no read
 * scope (a signed-in user's profile, the realm a token belongs to). Only that object: what it
 * links to (the user's roles, applications…) needs its own type's scope as anywhere else.
 */
export const selfFields: ReadonlySet<string> = new Set(["me", "realm"]);

/** Whether the principal's scopes let it read objects of this type. */
export function mayRead(scopes: ReadonlySet<string> | undefined, typename: string): boolean {
  const scope = readScopes[typename];
  return scope === undefined || (scopes?.has(scope) ?? false);
}
