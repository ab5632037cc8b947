// Budgets of seed 000's table for the realm profile's user and role-assignment routes, counted
// per realm and client. Every response of a limited route carries the x-ratelimit-* headers.
import type { MiddlewareHandler } from "hono";
import type { RateLimitBucket } from "../../config.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { realmError } from "./errors.js";

export function rateLimited(deps: RestDeps, bucket: RateLimitBucket): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const principal = c.get("principal")!;
    const key = `${principal.realmId}:${principal.clientId ?? principal.subject}`;
    const verdict = await deps.rateLimiter.consume(bucket, key);
    if (!verdict.allowed) {
      const wait = verdict.headers["retry-after"] ?? "1";
      return realmError(c, 429, "rate_limited", `Too many requests; retry in ${wait} seconds`, verdict.headers);
    }
    await next();
    for (const [name, value] of Object.entries(verdict.headers)) c.res.headers.set(name, value);
  };
}
