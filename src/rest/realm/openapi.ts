// The OpenAPI 3.1 document of the realm profile (seed 003), served at
// GET /api/v1/{realmId}/openapi.json. A test compares its operations with the mounted routes.
// `scopes`: the route's own scope first, then the read scopes of what its answer shows (a write
// answers with what it wrote, which GraphQL shows only to a caller that may read it).
type Row = [method: "get" | "post" | "patch" | "delete", path: string, scopes: string[], summary: string, status: 200 | 201 | 204, body: "page" | "data" | "none"];

const rows: Row[] = [
  ["get", "/users", ["users:read"], "List users (page, per_page, search)", 200, "page"],
  ["post", "/users", ["users:write", "users:read"], "Create a user (role_ids needs users:roles too)", 201, "data"],
  ["get", "/users/{id}", ["users:read"], "Get a user", 200, "data"],
  ["patch", "/users/{id}", ["users:write", "users:read"], "Update a user", 200, "data"],
  ["delete", "/users/{id}", ["users:write"], "Delete a user", 204, "none"],
  ["patch", "/users/{id}/password", ["users:write", "users:read"], "Set a user's password", 200, "data"],
  ["patch", "/users/{id}/is-suspended", ["users:write", "users:read"], "Suspend or unsuspend a user", 200, "data"],
  ["get", "/users/{id}/roles", ["users:roles"], "List a user's roles", 200, "data"],
  ["post", "/users/{id}/roles", ["users:roles"], "Assign roles (role_ids)", 200, "data"],
  ["delete", "/users/{id}/roles/{roleId}", ["users:roles"], "Remove a role from a user", 204, "none"],
  ["get", "/users/{id}/identities", ["users:read"], "List a user's linked identities", 200, "data"],
  ["get", "/applications", ["applications:read"], "List applications", 200, "page"],
  ["post", "/applications", ["applications:write", "applications:read"], "Create an application (the secret is shown once)", 201, "data"],
  ["get", "/applications/{id}", ["applications:read"], "Get an application", 200, "data"],
  ["patch", "/applications/{id}", ["applications:write", "applications:read"], "Update an application", 200, "data"],
  ["delete", "/applications/{id}", ["applications:write"], "Delete an application", 204, "none"],
  ["get", "/applications/{id}/roles", ["applications:read"], "List an application's roles", 200, "data"],
  ["post", "/applications/{id}/roles", ["applications:write", "applications:read"], "Assign roles (role_ids)", 200, "data"],
  ["delete", "/applications/{id}/roles/{roleId}", ["applications:write"], "Remove a role from an application", 204, "none"],
  ["get", "/roles", ["roles:read"], "List roles", 200, "page"],
  ["post", "/roles", ["roles:write", "roles:read"], "Create a role", 201, "data"],
  ["get", "/roles/{id}", ["roles:read"], "Get a role", 200, "data"],
  ["patch", "/roles/{id}", ["roles:write", "roles:read"], "Update a role", 200, "data"],
  ["delete", "/roles/{id}", ["roles:write"], "Delete a role", 204, "none"],
  ["get", "/roles/{id}/scopes", ["roles:read"], "List a role's scopes", 200, "data"],
  ["post", "/roles/{id}/scopes", ["roles:write", "roles:read"], "Assign scopes (scope_ids)", 200, "data"],
  ["delete", "/roles/{id}/scopes/{scopeId}", ["roles:write"], "Remove a scope from a role", 204, "none"],
  ["get", "/resources", ["resources:read"], "List API resources", 200, "page"],
  ["post", "/resources", ["resources:write", "resources:read"], "Create an API resource", 201, "data"],
  ["get", "/resources/{id}", ["resources:read"], "Get an API resource", 200, "data"],
  ["patch", "/resources/{id}", ["resources:write", "resources:read"], "Update an API resource", 200, "data"],
  ["delete", "/resources/{id}", ["resources:write"], "Delete an API resource", 204, "none"],
  ["get", "/resources/{id}/scopes", ["resources:read"], "List a resource's scopes", 200, "data"],
  ["post", "/resources/{id}/scopes", ["resources:write", "resources:read"], "Create a scope", 201, "data"],
  ["patch", "/resources/{id}/scopes/{scopeId}", ["resources:write", "resources:read"], "Update a scope", 200, "data"],
  ["delete", "/resources/{id}/scopes/{scopeId}", ["resources:write"], "Delete a scope", 204, "none"],
];

const error = (description: string) => ({ description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } });

const envelopes = {
  page: {
    type: "object",
    required: ["data", "meta"],
    properties: {
      data: { type: "array", items: { type: "object" } },
      meta: {
        type: "object",
        properties: { current_page: { type: "integer" }, per_page: { type: "integer" }, total: { type: "integer" } },
      },
    },
  },
  data: { type: "object", required: ["data"], properties: { data: {} } },
};

function operation([method, path, scopes, summary, status, body]: Row) {
  const parameters = [...path.matchAll(/\{(\w+)\}/g)].map((match) => ({
    name: match[1],
    in: "path",
    required: true,
    schema: { type: "string" },
  }));
  const success =
    body === "none"
      ? { description: "Done" }
      : { description: "OK", content: { "application/json": { schema: envelopes[body] } } };
  return {
    summary,
    description: `Needs the ${scopes.map((scope) => `\`${scope}\``).join(" and ")} scope${scopes.length > 1 ? "s" : ""}.`,
    security: [{ bearer: scopes }],
    parameters,
    ...(method === "post" || method === "patch" ? { requestBody: { required: true, content: { "application/json": { schema: { type: "object" } } } } } : {}),
    responses: {
      [status]: success,
      400: error("Malformed request: invalid JSON, a wrong type, an unknown field or a bad id"),
      401: error("Missing or invalid token"),
      403: error("The token lacks a scope the route needs"),
      404: error("Not found (also for another realm's token)"),
      422: error("Validation failed; the message names the field"),
      429: error("Rate limited; see Retry-After"),
    },
  };
}

const paths: Record<string, Record<string, unknown>> = {};
for (const row of rows) (paths[row[1]] ??= {})[row[0]] = operation(row);

export const realmOpenApiDocument = {
  openapi: "3.1.0",
  info: { title: "usergate management API (realm profile, seed 003)", version: "1" },
  servers: [{ url: "/api/v1/{realmId}", variables: { realmId: { default: "rlm_…", description: "The realm id" } } }],
  components: {
    securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
    schemas: {
      Error: { type: "object", required: ["error", "message"], properties: { error: { type: "string" }, message: { type: "string" } } },
    },
  },
  paths,
};
