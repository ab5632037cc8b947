// Seed 000's budgets (the simple profile's seed names no numbers), counted per realm and client
// (or user, for user tokens): GET lists and reads spend usersList, POST usersCreate, PUT and
// DELETE usersUpdate. A request is counted before its input is read, so bad requests spend the
// budget too; every response of a limited route carries x-ratelimit-*, a refused one Retry-After.
import type { MiddlewareHandler } from "hono";
import type { RateLimitBucket } from "../../config.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { simpleError } from "./errors.js";

export function rateLimited(deps: RestDeps, bucket: RateLimitBucket): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal")!;
    const verdict = await deps.rateLimiter.consume(bucket, `${principal.realmId}:${principal.clientId ?? principal.subject}`);
    if (!verdict.allowed) {
      const wait = verdict.headers["retry-after"] ?? "1";
      return simpleError(c, 429, "rate_limited", `Rate limit exceeded; retry in ${wait} seconds`, verdict.headers);
    }
    await next();
    for (const [name, value] of Object.entries(verdict.headers)) c.res.headers.set(name, value);
  };
}
