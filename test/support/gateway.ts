// A gateway for one test file: its own database, the real app, requests through `app.fetch`
// (no port) or a real listening port when a client library needs one.
import { createServer, type AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "../../src/app.js";
import { loadConfig, type Config } from "../../src/config.js";
import { prepareDatabase } from "../../src/prepare-database.js";
import { createRateLimiter } from "../../src/http/rate-limiter.js";
import { createLogger } from "../../src/logger.js";
import { openTestDatabase, type TestDatabase, type TestDatabaseOptions } from "./test-database.js";

export const testOrigin = "http://usergate.test";

export const adminClient = {
  clientId: "test-admin-client",
  clientSecret: "test-admin-secret-0123456789abcdefghijklmnop",
};

export type TestGateway = {
  app: ReturnType<typeof createApp>;
  database: TestDatabase;
  config: Config;
  defaultRealmId: string;
  /** Sends a request to the app as an HTTP client would, without opening a port. */
  request(path: string, init?: RequestInit): Promise<Response>;
  /** Listens on the port (a free one by default) and returns its base URL. */
  listen(port?: number): Promise<string>;
  close(): Promise<void>;
};

/** A port nothing listens on right now, for a gateway whose PUBLIC_URL must name its real address. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function startTestGateway(
  env: Record<string, string> = {},
  databaseOptions: TestDatabaseOptions = {},
): Promise<TestGateway> {
  const database = await openTestDatabase(databaseOptions);
  const config = loadConfig({
    PUBLIC_URL: testOrigin,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "silent",
    USERGATE_BOOTSTRAP_CLIENT_ID: adminClient.clientId,
    USERGATE_BOOTSTRAP_CLIENT_SECRET: adminClient.clientSecret,
    ...env,
  });
  const { bootstrap } = await prepareDatabase(database, config);
  const rateLimiter = createRateLimiter(config);
  const app = createApp({ config, database, logger: createLogger(config.logLevel), defaultRealmId: bootstrap.realmId, rateLimiter });
  const servers: Array<ReturnType<typeof serve>> = [];
  return {
    app,
    database,
    config,
    defaultRealmId: bootstrap.realmId,
    request: async (path, init) => app.fetch(new Request(new URL(path, testOrigin), init)),
    listen: (port = 0) =>
      new Promise((resolve) => {
        const server = serve({ fetch: app.fetch, port, hostname: "127.0.0.1" }, (info: AddressInfo) =>
          resolve(`http://127.0.0.1:${info.port}`),
        );
        servers.push(server);
      }),
    async close() {
      await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
      await rateLimiter.close();
      await database.close();
    },
  };
}
