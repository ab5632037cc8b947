// Access failures are top-level GraphQL errors with a stable code and the HTTP status Yoga
// should answer with; expected business failures are typed results instead (see payloads).
import { GraphQLError } from "graphql";

export function unauthenticatedError(): GraphQLError {
  return new GraphQLError("A valid bearer token is required", {
    extensions: {
      code: "UNAUTHENTICATED",
      http: { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="usergate"' } },
    },
  });
}

/** The code stays `insufficient_scope`; `missingScopes` names what the token would need, when one would do. */
export function insufficientScopeError(
  message = "The token lacks a scope this operation requires",
  missingScopes: string[] = [],
): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: "insufficient_scope", http: { status: 403 }, ...(missingScopes.length > 0 ? { missingScopes } : {}) },
  });
}
