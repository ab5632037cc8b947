// Seed 000's budgets, counted per realm and client (or user, for user tokens). A request is
// counted before its input is read, so bad requests spend the budget too; every response of a
// limited route carries the x-ratelimit-* headers, a refused one also Retry-After.
import type { MiddlewareHandler } from "hono";
import type { RateLimitBucket } from "../../config.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { v2Error } from "./errors.js";

export function rateLimited(deps: RestDeps, bucket: RateLimitBucket): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal")!;
    const verdict = await deps.rateLimiter.consume(bucket, `${principal.realmId}:${principal.clientId ?? principal.subject}`);
    if (!verdict.allowed) {
      const wait = verdict.headers["retry-after"] ?? "1";
      return v2Error(c, 429, `Too many requests. Check the Retry-After header (${wait} s).`, "too_many_requests", verdict.headers);
    }
    await next();
    for (const [name, value] of Object.entries(verdict.headers)) c.res.headers.set(name, value);
  };
}
