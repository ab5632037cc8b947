// Seed 000/002 error bodies: {statusCode, error, message, errorCode}.
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { RestFailure } from "../graphql-outcome.js";

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
