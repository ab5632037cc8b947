// The OpenAPI 3.1 document of profile v2, served at GET /api/v2/openapi.json. A test compares its
// paths with the routes really mounted, so the two cannot drift apart.
import type { RateLimitBucket } from "../../config.js";
import { maxUsersPerPage } from "./users-routes.js";
import { maxRolesPerPage } from "./user-roles-routes.js";
import { v2UserFields } from "./user-shape.js";

type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Schema) => ({ "application/json": { schema } });
const arrayOf = (schema: Schema): Schema => ({ type: "array", items: schema });

const rateLimitHeaders = {
  "x-ratelimit-limit": { description: "Requests allowed per window.", schema: { type: "integer" } },
  "x-ratelimit-remaining": { description: "Requests left in the window.", schema: { type: "integer" } },
  "x-ratelimit-reset": { description: "Unix time (seconds) when the window resets.", schema: { type: "integer" } },
};

const errorResponse = (description: string) => ({ description, content: json(ref("Error")) });

const errors = {
  400: errorResponse("Invalid request: `invalid_body`, `invalid_query_string` or `invalid_uri`, naming the field."),
  401: errorResponse("Missing or invalid access token (`invalid_token`)."),
  403: errorResponse("The token lacks the scope the operation needs (`insufficient_scope`)."),
  404: errorResponse("No such user (`inexistent_user`) or role (`inexistent_role`)."),
  409: errorResponse("A user with that email or username already exists (`user_exists`)."),
  413: errorResponse("The body is larger than the gateway accepts."),
  429: {
    description: "Rate limit reached (`too_many_requests`); retry after `Retry-After` seconds.",
    headers: { "retry-after": { schema: { type: "integer" } }, ...rateLimitHeaders },
    content: json(ref("Error")),
  },
};

const userIdParameter = {
  name: "id",
  in: "path",
  required: true,
  description: 'The user_id, `<connection>|<id>` URL-encoded (`usergate%7Cusr_…`), or the bare `usr_…` id.',
  schema: { type: "string" },
};
const roleIdParameter = { name: "id", in: "path", required: true, description: "The role id (`rol_…`).", schema: { type: "string" } };

const query = (name: string, schema: Schema, description: string) => ({ name, in: "query", required: false, description, schema });
const pageParameters = (maxPerPage: number) => [
  query("page", { type: "integer", minimum: 0, default: 0 }, "Page number, from 0."),
  query("per_page", { type: "integer", minimum: 1, maximum: maxPerPage, default: maxPerPage }, `Results per page (1-${maxPerPage}).`),
  query("include_totals", { type: "boolean", default: false }, "Answer `{start, limit, total, …}` instead of the bare list."),
];
const fieldsParameters = [
  query("fields", { type: "string" }, `Comma-separated fields to include (or exclude): ${v2UserFields.join(", ")}.`),
  query("include_fields", { type: "boolean", default: true }, "Whether `fields` lists the fields to include (true) or to exclude."),
];

type Operation = {
  summary: string;
  /** The scopes the operation needs, in Markdown. */
  needs: string;
  bucket?: RateLimitBucket;
  parameters?: unknown[];
  body?: Schema;
  ok: { status: number; description: string; schema?: Schema };
  failures: Array<keyof typeof errors>;
};

function operation({ summary, needs, bucket, parameters = [], body, ok, failures }: Operation) {
  const okResponse = {
    description: ok.description,
    ...(bucket ? { headers: rateLimitHeaders } : {}),
    ...(ok.schema ? { content: json(ok.schema) } : {}),
  };
  return {
    summary,
    description: `Needs ${needs}.${bucket ? ` Rate-limited: \`${bucket}\` budget per client.` : ""}`,
    security: [{ bearer: [] }],
    ...(bucket ? { "x-rate-limit-bucket": bucket } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(body ? { requestBody: { required: true, content: json(body) } } : {}),
    responses: {
      [ok.status]: okResponse,
      ...Object.fromEntries(["401", "403", ...failures.map(String), ...(bucket ? ["429"] : [])].map((status) => [status, errors[Number(status) as keyof typeof errors]])),
    },
  };
}

const nullableText = { type: ["string", "null"] };
const metadata = { type: "object", additionalProperties: true };

const schemas = {
  Error: {
    type: "object",
    required: ["statusCode", "error", "message", "errorCode"],
    properties: { statusCode: { type: "integer" }, error: { type: "string" }, message: { type: "string" }, errorCode: { type: "string" } },
  },
  Identity: {
    type: "object",
    description: "A linked provider account (read-only).",
    properties: { connection: { type: "string" }, user_id: { type: "string" }, provider: { type: "string" }, isSocial: { type: "boolean" } },
  },
  User: {
    type: "object",
    description: "Fields without a value are left out. The password is never returned.",
    properties: {
      user_id: { type: "string", examples: ["usergate|usr_01jd2m3n4p5q6r7s8t9v0w1x2y"] },
      email: { type: "string", format: "email" },
      email_verified: { type: "boolean" },
      username: { type: "string" },
      phone_number: { type: "string" },
      phone_verified: { type: "boolean" },
      name: { type: "string" },
      given_name: { type: "string" },
      family_name: { type: "string" },
      nickname: { type: "string" },
      picture: { type: "string", format: "uri" },
      created_at: { type: "string", format: "date-time" },
      updated_at: { type: "string", format: "date-time" },
      last_login: { type: "string", format: "date-time" },
      last_ip: { type: "string" },
      logins_count: { type: "integer" },
      blocked: { type: "boolean" },
      user_metadata: metadata,
      app_metadata: metadata,
      identities: arrayOf(ref("Identity")),
    },
  },
  CreateUser: {
    type: "object",
    additionalProperties: false,
    required: ["connection"],
    properties: {
      connection: { type: "string", description: "Becomes the user_id prefix, e.g. `Username-Password-Authentication`." },
      email: { type: "string", format: "email" },
      password: { type: "string", writeOnly: true },
      email_verified: { type: "boolean" },
      verify_email: { type: "boolean", description: "Accepted; usergate sends no verification email." },
      phone_number: { type: "string" },
      phone_verified: { type: "boolean" },
      username: { type: "string" },
      name: { type: "string" },
      given_name: { type: "string" },
      family_name: { type: "string" },
      nickname: { type: "string" },
      picture: { type: "string", format: "uri" },
      user_metadata: metadata,
      app_metadata: metadata,
      blocked: { type: "boolean" },
    },
  },
  UpdateUser: {
    type: "object",
    additionalProperties: false,
    description:
      "Only the fields given change. `user_metadata` and `app_metadata` are merged at the first level: each key given replaces its value, a key set to null is removed, `{}` clears them.",
    properties: {
      connection: { type: "string", description: "Must be the user's connection when given." },
      email: { type: "string", format: "email" },
      password: { type: "string", writeOnly: true },
      email_verified: { type: "boolean" },
      verify_email: { type: "boolean" },
      phone_number: nullableText,
      phone_verified: { type: "boolean" },
      username: nullableText,
      name: nullableText,
      given_name: nullableText,
      family_name: nullableText,
      nickname: nullableText,
      picture: nullableText,
      user_metadata: metadata,
      app_metadata: metadata,
      blocked: { type: "boolean" },
    },
  },
  UsersPage: {
    type: "object",
    required: ["start", "limit", "length", "total", "users"],
    properties: {
      start: { type: "integer" },
      limit: { type: "integer" },
      length: { type: "integer" },
      total: { type: "integer" },
      users: arrayOf(ref("User")),
    },
  },
  RoleIds: {
    type: "object",
    additionalProperties: false,
    required: ["roles"],
    properties: { roles: { type: "array", minItems: 1, maxItems: 100, items: { type: "string", examples: ["rol_01jd2m3n4p5q6r7s8t9v0w1x2y"] } } },
  },
  Role: { type: "object", required: ["id", "name"], properties: { id: { type: "string" }, name: { type: "string" }, description: { type: "string" } } },
  Permission: {
    type: "object",
    required: ["permission_name", "resource_server_identifier", "resource_server_name"],
    properties: {
      permission_name: { type: "string" },
      description: { type: "string" },
      resource_server_identifier: { type: "string" },
      resource_server_name: { type: "string" },
      sources: arrayOf({
        type: "object",
        properties: { source_id: { type: "string" }, source_name: { type: "string" }, source_type: { const: "ROLE" } },
      }),
    },
  },
  RoleMember: {
    type: "object",
    properties: { user_id: { type: "string" }, email: { type: "string" }, name: { type: "string" }, picture: { type: "string" } },
  },
};

const paged = (key: string, item: Schema): Schema => ({
  oneOf: [
    arrayOf(item),
    {
      type: "object",
      required: ["start", "limit", "total", key],
      properties: { start: { type: "integer" }, limit: { type: "integer" }, total: { type: "integer" }, [key]: arrayOf(item) },
    },
  ],
});

export function v2OpenApiDocument(publicUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "usergate Management API v2 (Auth0-compatible profile)",
      version: "2",
      description:
        "Users and roles as seeds 000 and 002 describe them. Tokens come from POST /oauth/token (client_credentials, audience `{PUBLIC_URL}/api/v2/`). Errors are `{statusCode, error, message, errorCode}`.",
    },
    servers: [{ url: `${publicUrl}/api/v2` }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas,
    },
    paths: {
      "/users": {
        get: operation({
          summary: "List or search users",
          needs: "`users:read`",
          bucket: "usersList",
          parameters: [
            ...pageParameters(maxUsersPerPage),
            query("q", { type: "string" }, 'Search query, e.g. `email:"john@example.com"` or `name:jo* AND NOT blocked:true`.'),
            query("sort", { type: "string", pattern: "^(created_at|updated_at|email|name|last_login):(1|-1)$" }, "Field and direction: 1 ascending, -1 descending."),
            query("connection", { type: "string" }, "Only users of this connection."),
            query("search_engine", { type: "string", enum: ["v1", "v2", "v3"] }, "Accepted for compatibility; there is one search engine."),
            ...fieldsParameters,
          ],
          ok: { status: 200, description: "`{users}`, or `{start, limit, length, total, users}` with include_totals=true.", schema: { oneOf: [{ type: "object", required: ["users"], properties: { users: arrayOf(ref("User")) } }, ref("UsersPage")] } },
          failures: [400],
        }),
        post: operation({
          summary: "Create a user",
          needs: "`users:write` and `users:read` (the answer shows the user)",
          bucket: "usersCreate",
          body: ref("CreateUser"),
          ok: { status: 201, description: "The new user.", schema: ref("User") },
          failures: [400, 409, 413],
        }),
      },
      "/users/{id}": {
        get: operation({
          summary: "Get a user",
          needs: "`users:read`",
          bucket: "usersList",
          parameters: [userIdParameter, ...fieldsParameters],
          ok: { status: 200, description: "The user.", schema: ref("User") },
          failures: [400, 404],
        }),
        patch: operation({
          summary: "Update a user",
          needs: "`users:write` and `users:read`",
          bucket: "usersUpdate",
          parameters: [userIdParameter],
          body: ref("UpdateUser"),
          ok: { status: 200, description: "The updated user.", schema: ref("User") },
          failures: [400, 404, 409, 413],
        }),
        delete: operation({
          summary: "Delete a user",
          needs: "`users:write` (and `users:read` when the user_id carries its connection prefix)",
          bucket: "usersUpdate",
          parameters: [userIdParameter],
          ok: { status: 204, description: "Deleted." },
          failures: [400, 404],
        }),
      },
      "/users/{id}/roles": {
        get: operation({
          summary: "List a user's roles",
          needs: "`users:read`",
          bucket: "roleOperations",
          parameters: [userIdParameter, ...pageParameters(maxRolesPerPage)],
          ok: { status: 200, description: "The roles, or `{start, limit, total, roles}` with include_totals=true.", schema: paged("roles", ref("Role")) },
          failures: [400, 404],
        }),
        post: operation({
          summary: "Assign roles to a user",
          needs: "`users:roles` (and `users:read` when the user_id carries its connection prefix)",
          bucket: "roleOperations",
          parameters: [userIdParameter],
          body: ref("RoleIds"),
          ok: { status: 204, description: "Assigned (roles already held stay)." },
          failures: [400, 404, 413],
        }),
        delete: operation({
          summary: "Remove roles from a user",
          needs: "`users:roles` (and `users:read` when the user_id carries its connection prefix)",
          bucket: "roleOperations",
          parameters: [userIdParameter],
          body: ref("RoleIds"),
          ok: { status: 204, description: "Removed (roles not held are no change)." },
          failures: [400, 404, 413],
        }),
      },
      "/users/{id}/permissions": {
        get: operation({
          summary: "List the permissions a user gets through its roles",
          needs: "`users:read` and `roles:read` (or `resources:read`): a role's scopes",
          bucket: "usersList",
          parameters: [userIdParameter, ...pageParameters(maxRolesPerPage)],
          ok: { status: 200, description: "The permissions, or `{start, limit, total, permissions}` with include_totals=true.", schema: paged("permissions", ref("Permission")) },
          failures: [400, 404],
        }),
      },
      "/users-by-email": {
        get: operation({
          summary: "Find users by email (any letter case)",
          needs: "`users:read`",
          bucket: "usersList",
          parameters: [{ ...query("email", { type: "string", format: "email" }, "The email address."), required: true }, ...fieldsParameters],
          ok: { status: 200, description: "The users with that email.", schema: arrayOf(ref("User")) },
          failures: [400],
        }),
      },
      "/roles": {
        get: operation({
          summary: "List roles",
          needs: "`roles:read`",
          bucket: "roleOperations",
          parameters: [...pageParameters(maxRolesPerPage), query("name_filter", { type: "string" }, "Case-insensitive substring of the name.")],
          ok: { status: 200, description: "The roles, or `{start, limit, total, roles}` with include_totals=true.", schema: paged("roles", ref("Role")) },
          failures: [400],
        }),
      },
      "/roles/{id}": {
        get: operation({
          summary: "Get a role",
          needs: "`roles:read`",
          bucket: "roleOperations",
          parameters: [roleIdParameter],
          ok: { status: 200, description: "The role.", schema: ref("Role") },
          failures: [400, 404],
        }),
      },
      "/roles/{id}/users": {
        get: operation({
          summary: "List the users holding a role",
          needs: "`roles:read` and `users:read`",
          bucket: "roleOperations",
          parameters: [
            roleIdParameter,
            ...pageParameters(maxRolesPerPage),
            query("from", { type: "string" }, "Checkpoint pagination: the `next` of the previous answer."),
            query("take", { type: "integer", minimum: 1, maximum: maxRolesPerPage }, "Checkpoint pagination: users per answer."),
          ],
          ok: {
            status: 200,
            description: "By page: the members, or `{start, limit, total, users}` with include_totals=true. With `from`/`take`: `{users, next}`, `next` absent on the last page.",
            schema: {
              oneOf: [
                paged("users", ref("RoleMember")),
                { type: "object", required: ["users"], properties: { users: arrayOf(ref("RoleMember")), next: { type: "string" }, total: { type: "integer" } } },
              ],
            },
          },
          failures: [400, 404],
        }),
      },
    },
  };
}
