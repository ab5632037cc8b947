// Per-client request budgets for the REST routes (seed 000's table). Counters live in Redis when
// REDIS_URL is set, so every gateway process spends one shared budget; in memory otherwise.
// If Redis fails, an in-process limiter keeps enforcing the budget per process.
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";
import type { Config, RateLimitBucket } from "../config.js";

export type RateLimitVerdict = {
  allowed: boolean;
  /** x-ratelimit-* and, when refused, Retry-After. */
  headers: Record<string, string>;
};

export type RateLimiter = {
  consume(bucket: RateLimitBucket, key: string): Promise<RateLimitVerdict>;
  close(): Promise<void>;
};

export function createRateLimiter(config: Pick<Config, "rateLimits" | "redisUrl">): RateLimiter {
  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 1, lazyConnect: false })
    : null;
  redis?.on("error", () => {}); // reconnects by itself; the insurance limiter covers the gap
  const duration = config.rateLimits.windowSeconds;
  const limiters = new Map<RateLimitBucket, RateLimiterAbstract>();
  for (const bucket of ["usersList", "usersCreate", "usersUpdate", "roleOperations"] as const) {
    const points = config.rateLimits[bucket];
    if (points === 0) continue;
    const memory = new RateLimiterMemory({ points, duration, keyPrefix: `usergate:${bucket}` });
    limiters.set(
      bucket,
      redis
        ? new RateLimiterRedis({ storeClient: redis, points, duration, keyPrefix: `usergate:rl:${bucket}`, insuranceLimiter: memory })
        : memory,
    );
  }

  return {
    async consume(bucket, key) {
      const limiter = limiters.get(bucket);
      if (!limiter) return { allowed: true, headers: {} };
      let result: RateLimiterRes;
      let allowed = true;
      try {
        result = await limiter.consume(key);
      } catch (refusal) {
        if (!(refusal instanceof RateLimiterRes)) throw refusal;
        result = refusal;
        allowed = false;
      }
      const resetSeconds = Math.ceil(result.msBeforeNext / 1000);
      const headers: Record<string, string> = {
        "x-ratelimit-limit": String(limiter.points),
        "x-ratelimit-remaining": String(Math.max(0, result.remainingPoints)),
        "x-ratelimit-reset": String(Math.ceil(Date.now() / 1000) + resetSeconds),
      };
      if (!allowed) headers["retry-after"] = String(Math.max(1, resetSeconds));
      return { allowed, headers };
    },
    async close() {
      await redis?.quit().catch(() => redis.disconnect());
    },
  };
}
