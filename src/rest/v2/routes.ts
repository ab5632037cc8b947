// Profile v2 (seeds 000 and 002), mounted at /api/v2. Its OpenAPI document is public; every other
// route needs a caller (401 here), and the GraphQL schema decides what that caller may do.
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env.js";
import { missingPrincipal } from "../require-principal.js";
import type { RestDeps } from "../rest-deps.js";
import { v2Error } from "./errors.js";
import { v2OpenApiDocument } from "./openapi.js";
import { rolesRoutes } from "./roles-routes.js";
import { userRolesRoutes } from "./user-roles-routes.js";
import { usersRoutes } from "./users-routes.js";

export function v2Routes(deps: RestDeps) {
  const v2 = new Hono<AppEnv>();
  const openApi = v2OpenApiDocument(deps.publicUrl);

  v2.get("/openapi.json", (c) => c.json(openApi, 200, { "cache-control": "public, max-age=300" }));

  v2.use(async (c, next) => {
    const missing = missingPrincipal(c);
    if (missing) return v2Error(c, 401, missing.message, "invalid_token", missing.headers);
    await next();
  });

  v2.route("/", usersRoutes(deps));
  v2.route("/", userRolesRoutes(deps));
  v2.route("/", rolesRoutes(deps));
  // In the profile's error body rather than the app's generic 404.
  v2.all("*", (c) => v2Error(c, 404, `No route for ${c.req.method} ${c.req.path}`, "inexistent_route"));
  return v2;
}
