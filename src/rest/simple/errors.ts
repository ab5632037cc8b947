// Error bodies of the simple profile (seed 004). The seed lists the statuses (400, 401, 403,
// 404, 409, 429) but shows no body, so the profile answers `{error, message}`: `error` a stable
// code per failure, `message` a sentence naming the field. That is also the shape the gateway
// itself uses under /api (unknown routes 404 not_found, oversized bodies 413 payload_too_large).
import type { ExecutionResult } from "graphql";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { failureOf, type RestFailure } from "../graphql-outcome.js";

export type SimpleErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "forbidden"
  | "insufficient_scope"
  | "not_found"
  | "conflict"
  | "rate_limited"
  | "server_error";

export function simpleError(
  c: Context,
  status: ContentfulStatusCode,
  error: SimpleErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  return c.json({ error, message }, status, headers);
}

export const badRequest = (c: Context, message: string) => simpleError(c, 400, "invalid_request", message);
export const userNotFound = (c: Context) => simpleError(c, 404, "not_found", "User not found");
export const serverError = (c: Context) => simpleError(c, 500, "server_error", "Internal server error");

const codeByStatus: Partial<Record<RestFailure["status"], SimpleErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "insufficient_scope",
  404: "not_found",
  409: "conflict",
  422: "invalid_request",
  429: "rate_limited",
};

/** The operation's data, or the response for its top-level failure (401, 403, 400, 500). */
export function dataOf<Data>(c: Context, result: ExecutionResult<Data>): Data | Response {
  const failure = failureOf(result as ExecutionResult);
  if (failure) {
    // The seed has no 422: a value GraphQL refuses is a bad request here.
    const status = failure.status === 422 ? 400 : failure.status;
    return simpleError(c, status, codeByStatus[failure.status] ?? "server_error", failure.message);
  }
  if (!result.data) return serverError(c);
  return result.data;
}

/** The typed errors of a mutation result union, as SimpleMutationError selects them. */
export type MutationError =
  | { __typename: "ValidationError"; message: string; validationField: string }
  | { __typename: "ConflictError"; message: string; conflictField: string | null }
  | { __typename: "NotFoundError"; message: string; entity: string; missingId: string };

export function isMutationError(value: { __typename?: string }): value is MutationError {
  return value.__typename === "ValidationError" || value.__typename === "ConflictError" || value.__typename === "NotFoundError";
}

/** GraphQL input fields under the names the profile's bodies use. */
const bodyFields: Record<string, string> = {
  email: "email",
  name: "name",
  password: "password",
  status: "status",
  userMetadata: "settings",
  roleIds: "role",
};

/** `input.userMetadata` → `settings`; `input.users.0.email` and the like keep their tail. */
export function bodyField(path: string): string {
  const [first = "", ...rest] = path.replace(/^input\./, "").split(".");
  const named = bodyFields[first];
  return named ? [named, ...(named === "role" ? [] : rest)].join(".") : first;
}

/**
 * A mutation's expected failure: a taken email is 409 (seed: "Conflict - Email already in
 * use"), a missing user 404, a role that vanished since its name was resolved or a value the
 * schema refuses 400 naming the body's field.
 */
export function mutationError(c: Context, error: MutationError) {
  switch (error.__typename) {
    case "ConflictError":
      return simpleError(c, 409, "conflict", error.conflictField?.endsWith("email") ? "Email already in use" : error.message);
    case "NotFoundError":
      if (error.entity === "User") return userNotFound(c);
      if (error.entity === "Role") return badRequest(c, "role does not name an existing role");
      return simpleError(c, 404, "not_found", error.message);
    case "ValidationError": {
      const field = bodyField(error.validationField);
      const message = error.message.replace(/\binput(?:\.[A-Za-z0-9_]+)+/g, bodyField);
      return badRequest(c, message.startsWith(field) ? message : `${field}: ${message}`);
    }
  }
}
