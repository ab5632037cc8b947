// The access and input failures a GraphQL operation can end with, as HTTP statuses. Each
// profile renders them in its own error body.
import type { ExecutionResult, GraphQLFormattedError } from "graphql";

export type RestFailure = { status: 400 | 401 | 403 | 404 | 409 | 422 | 429 | 500; code: string; message: string };

const byCode: Record<string, RestFailure["status"]> = {
  UNAUTHENTICATED: 401,
  insufficient_scope: 403,
  BAD_USER_INPUT: 400,
  INVALID_SEARCH: 400,
};

/** The first error of the result as a failure, or null when the operation succeeded. */
export function failureOf(result: ExecutionResult): RestFailure | null {
  const error = result.errors?.[0] as GraphQLFormattedError | undefined;
  if (!error) return null;
  const code = String(error.extensions?.code ?? "INTERNAL_SERVER_ERROR");
  const status = byCode[code] ?? 500;
  return { status, code, message: status === 500 ? "Internal server error" : error.message };
}
