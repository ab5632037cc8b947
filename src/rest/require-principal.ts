import type { Context } from "hono";
import type { AppEnv } from "../http/app-env.js";
import { bearerChallenge } from "../http/bearer-challenge.js";

/**
 * Every REST route needs a caller. Returns the 401 to send (status, message and challenge
 * header) when there is none, so each profile renders it in its own body; null otherwise.
 */
export function missingPrincipal(c: Context<AppEnv>): { message: string; headers: Record<string, string> } | null {
  const failure = c.get("authFailure");
  if (failure) return { message: failure.description, headers: { "www-authenticate": bearerChallenge(failure) } };
  if (!c.get("principal")) {
    return { message: "Missing authentication", headers: { "www-authenticate": 'Bearer realm="usergate"' } };
  }
  return null;
}
