// The OpenAPI 3.1 description of the simple profile (seed 004), served without authentication
// at GET /api/v1/users/openapi.json. A test compares its paths with the routes mounted.
import { defaultLimit, maxLimit, maxPage } from "./contract.js";
import { profileStatuses } from "./user-shape.js";

const json = (schema: object) => ({ "application/json": { schema } });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const error = (description: string) => ({ description, content: json(ref("Error")) });
const rateLimitHeaders = {
  "x-ratelimit-limit": { description: "Requests allowed per window", schema: { type: "integer" } },
  "x-ratelimit-remaining": { description: "Requests left in the window", schema: { type: "integer" } },
  "x-ratelimit-reset": { description: "Unix time (seconds) the window resets at", schema: { type: "integer" } },
};
const limited = (description: string, schema: object) => ({ description, headers: rateLimitHeaders, content: json(schema) });

const errors = {
  400: error("Bad Request - Invalid parameters (malformed JSON, a wrong type, an unknown field or parameter, a bad user_id, an unknown role)"),
  401: { ...error("Unauthorized - Authentication required"), headers: { "www-authenticate": { schema: { type: "string" } } } },
  403: error("Forbidden - Insufficient permissions (a scope is missing, or the token belongs to another realm)"),
  429: {
    description: "Too Many Requests - Rate limit exceeded",
    headers: { ...rateLimitHeaders, "retry-after": { description: "Seconds to wait", schema: { type: "integer" } } },
    content: json(ref("Error")),
  },
};
const notFound = { 404: error("Not Found - User does not exist") };
const userIdParameter = {
  name: "user_id",
  in: "path",
  required: true,
  description: "The unique identifier of the user",
  schema: { type: "string", pattern: "^usr_[0-9a-hjkmnp-tv-z]{26}$" },
};

const time = { type: "string", format: "date-time", examples: ["2023-01-15T08:30:00Z"] };
const status = {
  type: "string",
  enum: [...profileStatuses],
  description: "pending: created, never signed in; suspended: blocked from signing in (not in the seed); inactive: disabled",
};
const role = { type: ["string", "null"], description: "Name of the user's first realm-wide role (oldest role first), null for none" };
const settings = { type: "object", additionalProperties: true, description: "Kept in the user's user_metadata.settings" };
const userBase = {
  id: { type: "string", examples: ["usr_01hx3c7k9q8m2n4p6r8t0v2w4y"] },
  email: { type: ["string", "null"], format: "email" },
  name: { type: ["string", "null"] },
  role,
  status,
  created_at: time,
};
const baseRequired = ["id", "email", "name", "role", "status", "created_at"];

export function simpleOpenApiDocument(publicUrl: string) {
  return {
    openapi: "3.1.0",
    info: {
      title: "usergate Users API (simple profile)",
      version: "1.0.0",
      description:
        "Seed 004's Users API on the gateway's default realm. Authenticate with a bearer token from /oauth/token. " +
        "Scopes: users:read (GET, and the answers of POST and PUT), users:write (POST, PUT, DELETE); a role in a body or the role filter also needs roles:read, " +
        "and assigning it users:roles. Errors are {error, message}.",
    },
    servers: [{ url: `${publicUrl.replace(/\/$/, "")}/api/v1` }],
    security: [{ bearer: [] }],
    paths: {
      "/users": {
        get: {
          operationId: "listUsers",
          summary: "Get All Users",
          parameters: [
            { name: "page", in: "query", description: "Page number (from 1)", schema: { type: "integer", minimum: 1, maximum: maxPage, default: 1 } },
            { name: "limit", in: "query", description: "Results per page", schema: { type: "integer", minimum: 1, maximum: maxLimit, default: defaultLimit } },
            { name: "status", in: "query", description: "Filter by user status", schema: status },
            { name: "role", in: "query", description: "Filter by role name: users holding that realm-wide role (an unknown name is 400)", schema: { type: "string" } },
          ],
          responses: {
            200: limited("A page of users", {
              type: "object",
              required: ["data", "meta"],
              properties: { data: { type: "array", items: ref("ListedUser") }, meta: ref("PageMeta") },
            }),
            ...errors,
          },
        },
        post: {
          operationId: "createUser",
          summary: "Create User",
          requestBody: { required: true, content: json(ref("CreateUserRequest")) },
          responses: {
            201: limited("The new user (status pending until the first sign-in)", {
              type: "object",
              required: ["data"],
              properties: { data: ref("CreatedUser") },
            }),
            ...errors,
            409: error("Conflict - Email already in use"),
          },
        },
      },
      "/users/{user_id}": {
        parameters: [userIdParameter],
        get: {
          operationId: "getUser",
          summary: "Get User by ID",
          responses: {
            200: limited("The user", { type: "object", required: ["data"], properties: { data: ref("UserDetail") } }),
            ...errors,
            ...notFound,
          },
        },
        put: {
          operationId: "updateUser",
          summary: "Update User",
          description: "Changes the fields given and keeps the others. role replaces the user's realm-wide roles with that one role.",
          requestBody: { required: true, content: json(ref("UpdateUserRequest")) },
          responses: {
            200: limited("The updated user", { type: "object", required: ["data"], properties: { data: ref("UpdatedUser") } }),
            ...errors,
            ...notFound,
          },
        },
        delete: {
          operationId: "deleteUser",
          summary: "Delete User",
          responses: {
            200: limited("Deleted", {
              type: "object",
              required: ["success", "message"],
              properties: { success: { const: true }, message: { type: "string", examples: ["User deleted successfully"] } },
            }),
            ...errors,
            ...notFound,
          },
        },
      },
    },
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: {
        CreatedUser: { type: "object", required: baseRequired, properties: userBase },
        ListedUser: {
          type: "object",
          required: [...baseRequired, "last_login"],
          properties: { ...userBase, last_login: { ...time, type: ["string", "null"] } },
        },
        UserDetail: {
          type: "object",
          required: [...baseRequired, "last_login", "settings"],
          properties: { ...userBase, last_login: { ...time, type: ["string", "null"] }, settings },
        },
        UpdatedUser: {
          type: "object",
          required: [...baseRequired, "updated_at"],
          properties: { ...userBase, updated_at: time },
        },
        PageMeta: {
          type: "object",
          required: ["total", "page", "limit", "pages"],
          properties: { total: { type: "integer" }, page: { type: "integer" }, limit: { type: "integer" }, pages: { type: "integer" } },
        },
        CreateUserRequest: {
          type: "object",
          additionalProperties: false,
          required: ["email"],
          properties: {
            email: { type: "string", format: "email", maxLength: 254 },
            name: { type: "string", minLength: 1, maxLength: 200 },
            role: { type: ["string", "null"], description: "A role name of the realm" },
            password: { type: "string", description: "At least 8 characters; write-only" },
            settings,
          },
        },
        UpdateUserRequest: {
          type: "object",
          additionalProperties: false,
          minProperties: 1,
          properties: {
            name: { type: ["string", "null"], minLength: 1, maxLength: 200 },
            role: { type: ["string", "null"], description: "A role name of the realm; null removes every realm-wide role" },
            status,
            settings: { ...settings, type: ["object", "null"], description: "Replaces user_metadata.settings; null removes it" },
          },
        },
        Error: {
          type: "object",
          required: ["error", "message"],
          properties: {
            error: {
              type: "string",
              enum: ["invalid_request", "unauthorized", "forbidden", "insufficient_scope", "not_found", "conflict", "rate_limited", "payload_too_large", "server_error"],
            },
            message: { type: "string" },
          },
        },
      },
    },
  };
}
