// Two gateway processes on one PostgreSQL database and one Redis spend one rate-limit budget:
// requests alternating between them are refused exactly after the limit, whichever process
// answers. Needs PostgreSQL (PGlite is single-process): skipped when DATABASE_URL is not set.
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { databaseUrl } from "./support/database-url.js";
import { spawnGateway, type GatewayProcess } from "./support/gateway-process.js";
import { withDatabase } from "./support/postgres-admin.js";

const serverUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
const limit = 5;

describe.skipIf(!serverUrl)("one rate-limit budget across gateway processes (PostgreSQL + Redis)", () => {
  const database = `usergate_ratelimit_${randomBytes(4).toString("hex")}`;
  const client = { clientId: `rate-limit-${randomBytes(4).toString("hex")}`, clientSecret: randomBytes(24).toString("hex") };
  const gateways: GatewayProcess[] = [];
  let token: string;
  let realmId: string;

  beforeAll(async () => {
    await withDatabase(serverUrl!, (admin) => admin.query(`CREATE DATABASE "${database}"`));
    const env = {
      DATABASE_URL: databaseUrl(serverUrl!, database),
      REDIS_URL: redisUrl,
      // Both processes are one deployment: the same issuer and audience for the tokens.
      PUBLIC_URL: "http://usergate.shared.test",
      RATE_LIMIT_USERS_LIST: String(limit),
      USERGATE_BOOTSTRAP_CLIENT_ID: client.clientId,
      USERGATE_BOOTSTRAP_CLIENT_SECRET: client.clientSecret,
    };
    // The first applies the migrations and bootstraps the realm; the second finds them done.
    gateways.push(await spawnGateway(env));
    await gateways[0]!.listening;
    gateways.push(await spawnGateway(env));
    await gateways[1]!.listening;

    const response = await fetch(`${gateways[0]!.baseUrl}/oauth/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret }),
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    token = body.access_token;
    realmId = JSON.parse(Buffer.from(token.split(".")[1]!, "base64url").toString()).realm;
  }, 120_000);

  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      // Only this test's counters: the key holds this run's fresh realm and client.
      const keys = await redis.keys(`usergate:rl:*:*:${client.clientId}`);
      if (keys.length > 0) await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    await withDatabase(serverUrl!, (admin) => admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
  }, 60_000);

  it("refuses the request after the limit, alternating between the processes", async () => {
    const answers: Array<{ gateway: number; status: number; remaining: string | null; limit: string | null; retryAfter: string | null }> = [];
    for (let n = 0; n < limit + 3; n++) {
      const gateway = n % 2;
      const response = await fetch(`${gateways[gateway]!.baseUrl}/api/v2/users?per_page=1`, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json();
      if (response.status === 429) expect(body).toMatchObject({ statusCode: 429, errorCode: "too_many_requests" });
      answers.push({
        gateway,
        status: response.status,
        remaining: response.headers.get("x-ratelimit-remaining"),
        limit: response.headers.get("x-ratelimit-limit"),
        retryAfter: response.headers.get("retry-after"),
      });
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    expect(answers.map((answer) => answer.remaining)).toEqual(["4", "3", "2", "1", "0", "0", "0", "0"]);
    expect(answers.every((answer) => answer.limit === String(limit))).toBe(true);
    expect(answers.slice(limit).every((answer) => Number(answer.retryAfter) >= 1)).toBe(true);
    // Both processes refused some of the requests over the limit.
    expect(new Set(answers.slice(limit).map((answer) => answer.gateway))).toEqual(new Set([0, 1]));
  });

  it("keeps the count in Redis, under the realm and client of the token", async () => {
    const redis = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const keys = await redis.keys(`usergate:rl:usersList:*:${client.clientId}`);
      expect(keys).toHaveLength(1);
      expect(keys[0]).toContain(realmId);
      expect(Number(await redis.get(keys[0]!))).toBeGreaterThanOrEqual(limit + 3);
    } finally {
      redis.disconnect();
    }
  });
});
