import type { OperationRunner } from "../graphql/operation-runner.js";
import type { RateLimiter } from "../http/rate-limiter.js";

/** What the REST profiles are given: GraphQL operations to run and the rate limiter. */
export type RestDeps = {
  run: OperationRunner;
  rateLimiter: RateLimiter;
  publicUrl: string;
  defaultRealmId: string;
};
