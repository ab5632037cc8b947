// Which claims an administrator may add to a user's access token (seed 001 "Update JWT"). Only
// namespaced custom claims, as Auth0 requires of custom claims: a claim name that is an absolute
// http:// or https:// URL. Every registered (sub, exp, …), authorization (scope, permissions,
// roles, groups, org_id, …) and profile (email, name, …) claim is a bare name, so none of them can
// be forged onto a token, whatever its name; no list to keep up to date.
import { ValidationError } from "./errors.js";

export const customClaimRule =
  "A custom claim's name must be an absolute http:// or https:// URL with a host, such as https://example.com/plan";

/**
 * Whether `name` is a namespaced claim name: http(s)://host…, as written (URL parsing alone would
 * also take `https:plan` and `https:///plan`), with no spaces or control characters.
 */
export function isNamespacedClaim(name: string): boolean {
  if (!/^https?:\/\/[^\s\p{Cc}/\\][^\s\p{Cc}]*$/u.test(name) || !URL.canParse(name)) return false;
  return new URL(name).hostname !== "";
}

/** Refuses the first claim that is not namespaced, as a ValidationError on `<field>.<name>`. */
export function assertCustomClaims(claims: Record<string, unknown>, field: string): void {
  const refused = Object.keys(claims).find((name) => !isNamespacedClaim(name));
  if (refused !== undefined) throw new ValidationError(`${field}.${refused}`, `${refused} cannot be set: ${customClaimRule}`);
}
