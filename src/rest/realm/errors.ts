// Seed 003 error bodies: `{error, message}` with a stable `error` code per status. GraphQL
// failures (access errors, typed mutation errors) become these, naming fields as the seed does.
import type { ExecutionResult } from "graphql";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { failureOf, type RestFailure } from "../graphql-outcome.js";
import { seedFieldName, type FieldNames } from "./field-names.js";

export type RealmErrorCode =
  | "invalid_request"
  | "unauthorized"
  | "insufficient_scope"
  | "not_found"
  | "validation_error"
  | "rate_limited"
  | "server_error";

export function realmError(
  c: Context,
  status: ContentfulStatusCode,
  error: RealmErrorCode,
  message: string,
  headers: Record<string, string> = {},
) {
  return c.json({ error, message }, status, headers);
}

const codeByStatus: Partial<Record<RestFailure["status"], RealmErrorCode>> = {
  400: "invalid_request",
  401: "unauthorized",
  403: "insufficient_scope",
  404: "not_found",
  422: "validation_error",
  429: "rate_limited",
};

/** A top-level GraphQL failure (401, 403, bad input the route let through, 500). */
export function realmFailure(c: Context, failure: RestFailure) {
  return realmError(c, failure.status, codeByStatus[failure.status] ?? "server_error", failure.message);
}

/** The operation's data, or the response for its top-level failure (401, 403, 400, 500). */
export function dataOf<Data>(c: Context, result: ExecutionResult<Data>): Data | Response {
  const failure = failureOf(result as ExecutionResult);
  if (failure) return realmFailure(c, failure);
  if (!result.data) return realmError(c, 500, "server_error", "Internal server error");
  return result.data;
}

export function notFound(c: Context, entity: string) {
  return realmError(c, 404, "not_found", `${entity} not found`);
}

/** The typed errors of a mutation result union, as the realm documents select them. */
export type MutationError =
  | { __typename: "ValidationError"; message: string; validationField: string }
  | { __typename: "ConflictError"; message: string; conflictField: string | null }
  | { __typename: "NotFoundError"; message: string; entity: string; missingId: string };

export type MutationErrorContext = FieldNames & {
  /** Ids taken from the path: not finding one of them is a 404 of that entity. */
  pathIds: string[];
  /** Where ids the body lists come from, by entity: `{ Role: "role_ids" }`. */
  bodyIds?: Record<string, string>;
};

/** Whether a mutation's result is one of its typed errors rather than its payload. */
export function isMutationError(value: object): value is MutationError {
  const typename = (value as { __typename?: unknown }).__typename;
  return typename === "ValidationError" || typename === "ConflictError" || typename === "NotFoundError";
}

/**
 * A mutation's expected failure: an id of the path that does not exist (in the caller's realm)
 * is 404; everything else is about the body, 422 naming the field.
 */
export function mutationError(c: Context, error: MutationError, context: MutationErrorContext) {
  switch (error.__typename) {
    case "NotFoundError": {
      if (context.pathIds.includes(error.missingId)) return notFound(c, error.entity);
      const field = context.bodyIds?.[error.entity];
      if (!field) return notFound(c, error.entity);
      return validationError(c, field, `${field} contains ${error.missingId}, which is not a ${error.entity.toLowerCase()} of this realm`);
    }
    case "ValidationError":
      return validationError(c, seedFieldName(error.validationField, context), seedMessage(error.message, context));
    case "ConflictError": {
      const field = error.conflictField ? seedFieldName(error.conflictField, context) : null;
      return field ? validationError(c, field, seedMessage(error.message, context)) : realmError(c, 422, "validation_error", error.message);
    }
  }
}

/** 422 whose message starts with the field's name (`name must not be empty`, `indicator: An API …`). */
export function validationError(c: Context, field: string, message: string) {
  const named = message === field || message.startsWith(`${field} `);
  return realmError(c, 422, "validation_error", named ? message : `${field}: ${message}`);
}

/** GraphQL messages name input fields as `input.redirectUris.0`; the seed's clients know `redirect_uris.0`. */
function seedMessage(message: string, names: FieldNames): string {
  return message.replace(/\binput(?:\.[A-Za-z0-9_]+)+/g, (path) => seedFieldName(path, names));
}
