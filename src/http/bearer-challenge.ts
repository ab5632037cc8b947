import type { InvalidTokenError } from "../auth/auth-errors.js";

/** RFC 6750 §3 challenge for a refused bearer credential. */
export function bearerChallenge(failure: InvalidTokenError): string {
  return `Bearer realm="usergate", error="invalid_token", error_description="${failure.description.replace(/["\\]/g, "")}"`;
}
