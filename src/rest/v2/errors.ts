// Seed 000/002 error bodies: {statusCode, error, message, errorCode}. GraphQL failures (access
// errors, typed mutation errors) become these, naming fields as the profile's clients write them.
import type { ExecutionResult } from "graphql";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { failureOf, type RestFailure } from "../graphql-outcome.js";
import { v2FieldPath } from "./field-names.js";

const reasons: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  413: "Payload Too Large",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
};

/** Auth0's errorCode for failures that are not about the request's own content. */
const errorCodes: Record<number, string> = {
  401: "invalid_token",
  403: "insufficient_scope",
  413: "payload_too_large",
  429: "too_many_requests",
  500: "internal_error",
};

export function v2Error(
  c: Context,
  status: ContentfulStatusCode,
  message: string,
  errorCode = errorCodes[status] ?? "invalid_request",
  headers: Record<string, string> = {},
) {
  return c.json({ statusCode: status, error: reasons[status] ?? "Error", message, errorCode }, status, headers);
}

export function v2Failure(c: Context, failure: RestFailure) {
  const errorCode = failure.status === 400 ? "invalid_query_string" : (errorCodes[failure.status] ?? failure.code);
  return v2Error(c, failure.status, failure.message, errorCode);
}

/** The operation's data, or the response for its top-level failure (401, 403, 400, 500). */
export function dataOf<Data>(c: Context, result: ExecutionResult<Data>): Data | Response {
  const failure = failureOf(result as ExecutionResult);
  if (failure) return v2Failure(c, failure);
  if (!result.data) return v2Error(c, 500, "Internal server error");
  return result.data;
}

export const inexistentUser = (c: Context) => v2Error(c, 404, "The user does not exist.", "inexistent_user");
export const inexistentRole = (c: Context) => v2Error(c, 404, "The role does not exist.", "inexistent_role");

/** The typed errors of a mutation result union, as the v2 documents select them. */
export type MutationError =
  | { __typename: "ValidationError"; message: string; validationField: string }
  | { __typename: "ConflictError"; message: string; conflictField: string | null }
  | { __typename: "NotFoundError"; message: string; entity: string; missingId: string };

export function isMutationError(value: { __typename?: string }): value is MutationError {
  return value.__typename === "ValidationError" || value.__typename === "ConflictError" || value.__typename === "NotFoundError";
}

/**
 * A mutation's expected failure: a taken email or username is 409 user_exists (seed 000), a
 * missing user 404 inexistent_user, a missing role 404 inexistent_role, anything else a 400
 * invalid_body naming the field as the client sent it.
 */
export function mutationError(c: Context, error: MutationError) {
  switch (error.__typename) {
    case "ConflictError":
      return v2Error(c, 409, "The user already exists.", "user_exists");
    case "NotFoundError":
      if (error.entity === "Role") return v2Error(c, 404, `The role ${error.missingId} does not exist.`, "inexistent_role");
      if (error.entity === "User") return inexistentUser(c);
      return v2Error(c, 404, error.message, "inexistent_resource");
    case "ValidationError": {
      const field = v2FieldPath(error.validationField);
      const message = error.message.replace(/\binput(?:\.[A-Za-z0-9_]+)+/g, v2FieldPath);
      const named = message.includes(field);
      return v2Error(c, 400, named ? message : `${field}: ${message}`, "invalid_body");
    }
  }
}
