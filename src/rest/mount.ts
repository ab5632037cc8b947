// The REST compatibility profiles. Each route parses its request, runs one GraphQL operation
// with the request's context, and reshapes the answer: authorization, validation and storage
// stay in the GraphQL schema.
import type { Context, Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import type { RestDeps } from "./rest-deps.js";
import { realmPathPattern, realmRoutes } from "./realm/routes.js";
import { simpleBasePath, simpleRoutes } from "./simple/routes.js";
import { v2Error } from "./v2/errors.js";
import { v2Routes } from "./v2/routes.js";

/** The largest REST body: a user with 16 KB of each metadata object fits comfortably. */
export const maxRestBodyBytes = 256 * 1024;

/** The 413 for a REST body over maxRestBodyBytes, in the error body of the profile it was sent to. */
export function restBodyTooLarge(c: Context): Response {
  const message = `The body exceeds ${maxRestBodyBytes} bytes`;
  if (c.req.path.startsWith("/api/v2/")) return v2Error(c, 413, message, "payload_too_large");
  return c.json({ error: "payload_too_large", message }, 413);
}

export function mountRestProfiles(app: Hono<AppEnv>, deps: RestDeps): void {
  app.route("/api/v2", v2Routes(deps));
  app.route(realmPathPattern, realmRoutes(deps));
  app.route(simpleBasePath, simpleRoutes(deps));
}
