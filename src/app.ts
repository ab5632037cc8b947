// Wires the HTTP surface: health, the OAuth endpoints, GraphQL (with GraphiQL) and later the
// REST profiles. Every route that serves data resolves the caller once, in the same way.
import { Hono, type Context } from "hono";
import { InvalidTokenError } from "./auth/auth-errors.js";
import { createAuthServices } from "./auth/auth-services.js";
import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import { graphiqlResponse, wantsGraphiQL } from "./graphql/graphiql-page.js";
import type { Principal } from "./graphql/principal.js";
import { createGraphQLServer } from "./graphql/yoga.js";
import { readiness } from "./http/health.js";
import { requestIdOf } from "./http/request-id.js";
import type { Logger } from "./logger.js";

export type AppDependencies = { config: Config; database: Database; logger: Logger; defaultRealmId: string };

type RequestVariables = { requestId: string };

export function createApp({ config, database, logger, defaultRealmId }: AppDependencies) {
  const auth = createAuthServices(database.prisma, { publicUrl: config.publicUrl, defaultRealmId }, config.signingAlg);
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

  // OAuth 2.0: the default realm at the root (seed 000), every realm under /oauth2/{realm} (seed 003).
  const withRealm = async (c: Context, serve: (realmId: string) => Promise<Response> | Response) => {
    const realmId = c.req.param("realmId")!;
    if (!(await auth.realmExists(realmId))) return c.json({ error: "not_found", message: "Unknown realm" }, 404);
    return serve(realmId);
  };
  const jwks = async () =>
    Response.json(await auth.keys.jwks(), { headers: { "cache-control": "public, max-age=300" } });
  const metadata = (realmId: string) => Response.json(auth.metadata(realmId));

  app.post("/oauth/token", (c) => auth.token(defaultRealmId, c.req.raw));
  app.get("/.well-known/jwks.json", jwks);
  app.get("/.well-known/openid-configuration", () => metadata(defaultRealmId));
  app.get("/.well-known/oauth-authorization-server", () => metadata(defaultRealmId));
  app.post("/oauth2/:realmId/token", (c) => withRealm(c, (realmId) => auth.token(realmId, c.req.raw)));
  app.get("/oauth2/:realmId/.well-known/jwks.json", (c) => withRealm(c, jwks));
  app.get("/oauth2/:realmId/jwks.json", (c) => withRealm(c, jwks));
  app.get("/oauth2/:realmId/.well-known/openid-configuration", (c) => withRealm(c, metadata));
  app.get("/.well-known/oauth-authorization-server/oauth2/:realmId", (c) => withRealm(c, metadata));

  app.on(["GET", "POST"], "/graphql", async (c) => {
    if (wantsGraphiQL(c.req.raw)) return graphiqlResponse(c.req.raw);
    let principal: Principal | null;
    try {
      principal = await auth.authenticate(c.req.header("authorization") ?? null);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      return c.json({ errors: [{ message: error.description, extensions: { code: error.code } }] }, 401, {
        "www-authenticate": `Bearer error="invalid_token", error_description="${error.description}"`,
      });
    }
    return yoga.fetch(c.req.raw, {
      prisma: database.prisma,
      principal,
      requestId: c.get("requestId"),
      logger,
      auth,
    });
  });

  app.notFound((c) => c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "server_error", message: "Internal server error" }, 500);
  });

  return app;
}
