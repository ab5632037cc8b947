// Profile v2 (seeds 000 and 002), mounted at /api/v2.
import { Hono } from "hono";
import { V2GetUserDocument } from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import { failureOf } from "../graphql-outcome.js";
import { missingPrincipal } from "../require-principal.js";
import type { RestDeps } from "../rest-deps.js";
import { v2Error, v2Failure } from "./errors.js";
import { parseV2UserId, toV2User } from "./user-shape.js";

export function v2Routes(deps: RestDeps) {
  const v2 = new Hono<AppEnv>();

  v2.use(async (c, next) => {
    const missing = missingPrincipal(c);
    if (missing) return v2Error(c, 401, missing.message, "invalid_token", missing.headers);
    await next();
  });

  v2.get("/users/:id", async (c) => {
    const { connection, id } = parseV2UserId(c.req.param("id"));
    const result = await deps.run(V2GetUserDocument, { id }, c.get("graphqlContext"));
    const failure = failureOf(result);
    if (failure) return v2Failure(c, failure);
    const user = result.data?.user;
    if (!user || (connection !== null && connection !== user.connection)) {
      return v2Error(c, 404, "The user does not exist.", "inexistent_user");
    }
    return c.json(toV2User(user));
  });

  return v2;
}
