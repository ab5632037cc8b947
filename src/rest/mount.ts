// The REST compatibility profiles. Each route parses its request, runs one GraphQL operation
// with the request's context, and reshapes the answer: authorization, validation and storage
// stay in the GraphQL schema.
import type { Hono } from "hono";
import type { AppEnv } from "../http/app-env.js";
import type { RestDeps } from "./rest-deps.js";
import { v2Routes } from "./v2/routes.js";

/** The largest REST body: a user with 16 KB of each metadata object fits comfortably. */
export const maxRestBodyBytes = 256 * 1024;

export function mountRestProfiles(app: Hono<AppEnv>, deps: RestDeps): void {
  app.route("/api/v2", v2Routes(deps));
}
