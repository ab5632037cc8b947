// Profile realm (seed 003), mounted at /api/v1/{realmId}. The path's realm must be the token's:
// a token of another realm gets the same 404 as a realm that does not exist, so it learns
// nothing about which realms exist. Scopes are checked by the GraphQL schema, never here.
import { Hono } from "hono";
import type { AppEnv } from "../../http/app-env.js";
import { missingPrincipal } from "../require-principal.js";
import type { RestDeps } from "../rest-deps.js";
import { applicationsRoutes } from "./applications-routes.js";
import { realmError } from "./errors.js";
import { realmOpenApiDocument } from "./openapi.js";
import { resourcesRoutes } from "./resources-routes.js";
import { rolesRoutes } from "./roles-routes.js";
import { usersRoutes } from "./users-routes.js";

/** Realm ids as they appear in the path: `rlm_` and a lower-case ULID. */
export const realmPathPattern = "/api/v1/:realmId{rlm_[0-9a-z]+}";

export function realmRoutes(deps: RestDeps) {
  const realm = new Hono<AppEnv>();

  // Served without a token, before the realm check.
  realm.get("/openapi.json", (c) => c.json(realmOpenApiDocument, 200, { "cache-control": "public, max-age=300" }));
  realm.use(async (c, next) => {
    const missing = missingPrincipal(c);
    if (missing) return realmError(c, 401, "unauthorized", missing.message, missing.headers);
    if (c.get("principal")!.realmId !== c.req.param("realmId")) return realmError(c, 404, "not_found", "Realm not found");
    await next();
  });

  realm.route("/users", usersRoutes(deps));
  realm.route("/applications", applicationsRoutes(deps));
  realm.route("/roles", rolesRoutes(deps));
  realm.route("/resources", resourcesRoutes(deps));
  return realm;
}
