// One class per failure with a stable OAuth error code (RFC 6749 §5.2, RFC 6750 §3.1); the
// description is safe to show to the client.
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope"
  | "invalid_target"
  | "invalid_token"
  | "access_denied"
  | "password_expired"
  | "insufficient_user_authentication";

export class OAuthError extends Error {
  override name = "OAuthError";
  constructor(
    readonly code: OAuthErrorCode,
    readonly description: string,
    readonly status: number = 400,
  ) {
    super(description);
  }
}

/** A bearer credential that is missing its parts, unknown, expired or wrongly signed. */
export class InvalidTokenError extends OAuthError {
  override name = "InvalidTokenError";
  constructor(description: string) {
    super("invalid_token", description, 401);
  }
}

/** The action needs a sign-in more recent than the token's (RFC 9470): the user must sign in again. */
export class InsufficientUserAuthenticationError extends OAuthError {
  override name = "InsufficientUserAuthenticationError";
  constructor(
    description: string,
    readonly maxAgeSeconds: number,
  ) {
    super("insufficient_user_authentication", description, 401);
  }
}
