// The built-in management API every realm protects: its audience and scopes (seed 003).
export const managementIndicator = "urn:usergate:management";

export const managementScopes = [
  { name: "users:read", description: "Read users" },
  { name: "users:write", description: "Create, update and delete users" },
  { name: "users:roles", description: "Assign and remove users' roles" },
  { name: "users:tokens", description: "Read users' provider tokens" },
  { name: "applications:read", description: "Read applications" },
  { name: "applications:write", description: "Create, update and delete applications" },
  { name: "roles:read", description: "Read roles" },
  { name: "roles:write", description: "Create, update and delete roles" },
  { name: "resources:read", description: "Read API resources and their scopes" },
  { name: "resources:write", description: "Create, update and delete API resources and scopes" },
  { name: "audit:read", description: "Read the audit log" },
] as const;

/** Scopes only the admin realm's management API has: managing the realms themselves. */
export const realmAdminScopes = [
  { name: "realms:read", description: "Read realms" },
  { name: "realms:write", description: "Create and update realms" },
] as const;

export const managementAdminRoleName = "usergate:management-admin";
