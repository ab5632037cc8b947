// Wires the HTTP surface: health, GraphQL (with GraphiQL), and later the token endpoint and
// REST profiles. Every route receives the same per-request context.
import { Hono } from "hono";
import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import { graphiqlResponse, wantsGraphiQL } from "./graphql/graphiql-page.js";
import { createGraphQLServer } from "./graphql/yoga.js";
import { readiness } from "./http/health.js";
import { requestIdOf } from "./http/request-id.js";
import type { Logger } from "./logger.js";

export type AppDependencies = { config: Config; database: Database; logger: Logger };

type RequestVariables = { requestId: string };

export function createApp({ database, logger }: AppDependencies) {
  const yoga = createGraphQLServer(logger);
  const app = new Hono<{ Variables: RequestVariables }>();

  app.use(async (c, next) => {
    const started = performance.now();
    const requestId = requestIdOf(c.req.raw);
    c.set("requestId", requestId);
    await next();
    c.res.headers.set("x-request-id", requestId);
    logger.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        ms: Math.round((performance.now() - started) * 10) / 10,
      },
      "request",
    );
  });

  app.get("/healthz", (c) => c.json({ status: "ok" }));
  app.get("/readyz", () => readiness(database));

  app.on(["GET", "POST"], "/graphql", (c) => {
    if (wantsGraphiQL(c.req.raw)) return graphiqlResponse(c.req.raw);
    return yoga.fetch(c.req.raw, {
      prisma: database.prisma,
      principal: null,
      requestId: c.get("requestId"),
      logger,
    });
  });

  app.notFound((c) => c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "server_error", message: "Internal server error" }, 500);
  });

  return app;
}
