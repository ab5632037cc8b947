// Wires the HTTP surface: health, the OAuth endpoints, GraphQL (with GraphiQL) and later the
// REST profiles. Every route that serves data resolves the caller once, in the same way.
import { Hono, type Context } from "hono";
import { InvalidTokenError } from "./auth/auth-errors.js";
import { createAuthServices } from "./auth/auth-services.js";
import type { Config } from "./config.js";
import type { Database } from "./db/database.js";
import { graphiqlResponse, wantsGraphiQL } from "./graphql/graphiql-page.js";
import { createOperationRunner } from "./graphql/operation-runner.js";
import type { Principal } from "./graphql/principal.js";
import { createGraphQLServer, maxGraphQLBodyBytes } from "./graphql/yoga.js";
import { readiness } from "./http/health.js";
import type { AppEnv } from "./http/app-env.js";
import { bearerChallenge } from "./http/bearer-challenge.js";
import { limitBody } from "./http/body-limit.js";
import type { RateLimiter } from "./http/rate-limiter.js";
import { originOf } from "./http/origin.js";
import { requestIdOf } from "./http/request-id.js";
import type { Logger } from "./logger.js";
import { maxRestBodyBytes, mountRestProfiles, restBodyTooLarge } from "./rest/mount.js";

export type AppDependencies = {
  config: Config;
  database: Database;
  logger: Logger;
  defaultRealmId: string;
  rateLimiter: RateLimiter;
};


export function createApp({ config, database, logger, defaultRealmId, rateLimiter }: AppDependencies) {
  const auth = createAuthServices(database, { publicUrl: config.publicUrl, defaultRealmId }, config);
  const yoga = createGraphQLServer(logger);
  const app = new Hono<AppEnv>();

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
  // Each realm publishes its own keys only.
  const jwks = async (realmId: string) =>
    Response.json(await auth.keys.jwks(realmId), { headers: { "cache-control": "public, max-age=300" } });
  const metadata = (realmId: string) => Response.json(auth.metadata(realmId));

  app.post("/oauth/token", (c) => auth.token(defaultRealmId, c.req.raw, originOf(c)));
  app.post("/auth/password/change", (c) => auth.changePassword(defaultRealmId, c.req.raw, originOf(c)));
  app.post("/oauth2/:realmId/auth/password/change", (c) =>
    withRealm(c, (realmId) => auth.changePassword(realmId, c.req.raw, originOf(c))),
  );
  app.on(["GET", "POST"], "/userinfo", (c) => auth.userinfo(c.req.raw));
  app.post("/tokeninfo", (c) => auth.tokeninfo(c.req.raw));
  app.get("/.well-known/jwks.json", () => jwks(defaultRealmId));
  app.get("/.well-known/openid-configuration", () => metadata(defaultRealmId));
  app.get("/.well-known/oauth-authorization-server", () => metadata(defaultRealmId));
  app.post("/oauth2/:realmId/token", (c) => withRealm(c, (realmId) => auth.token(realmId, c.req.raw, originOf(c))));
  app.get("/oauth2/:realmId/.well-known/jwks.json", (c) => withRealm(c, jwks));
  app.get("/oauth2/:realmId/jwks.json", (c) => withRealm(c, jwks));
  app.get("/oauth2/:realmId/.well-known/openid-configuration", (c) => withRealm(c, metadata));
  app.get("/.well-known/oauth-authorization-server/oauth2/:realmId", (c) => withRealm(c, metadata));
  // Passkeys (WebAuthn): the default realm at /auth/passkeys/…, every realm under /oauth2/{realm}.
  for (const [path, endpoint] of Object.entries(auth.passkeys)) {
    const call = (c: Context<AppEnv>) => ({ origin: originOf(c), requestId: c.get("requestId") });
    app.post(`/auth/passkeys/${path}`, (c) => endpoint(defaultRealmId, c.req.raw, call(c)));
    app.post(`/oauth2/:realmId/auth/passkeys/${path}`, (c) => withRealm(c, (realmId) => endpoint(realmId, c.req.raw, call(c))));
  }

  // The caller is resolved once per request, the same way for GraphQL and every REST profile.
  const authenticate = async (c: Context<AppEnv>, next: () => Promise<void>) => {
    let principal: Principal | null = null;
    c.set("authFailure", null);
    try {
      principal = await auth.authenticate(c.req.header("authorization") ?? null);
    } catch (error) {
      if (!(error instanceof InvalidTokenError)) throw error;
      c.set("authFailure", error);
    }
    c.set("principal", principal);
    c.set("graphqlContext", { prisma: database.prisma, read: database.read, principal, requestId: c.get("requestId"), logger, auth });
    await next();
  };

  // Cheaper than Yoga's own limit (which wraps every request stream).
  const graphqlBodyTooLarge = (c: Context) =>
    c.json({ error: "payload_too_large", message: `The body exceeds ${maxGraphQLBodyBytes} bytes` }, 413);
  app.use("/graphql", limitBody(maxGraphQLBodyBytes, graphqlBodyTooLarge));
  app.use("/api/*", limitBody(maxRestBodyBytes, restBodyTooLarge));

  app.on(
    ["GET", "POST"],
    "/graphql",
    async (c, next) => (wantsGraphiQL(c.req.raw) ? graphiqlResponse(c.req.raw) : authenticate(c, next)),
    (c) => {
      const failure = c.get("authFailure");
      if (failure) {
        return c.json({ errors: [{ message: failure.description, extensions: { code: failure.code } }] }, 401, {
          "www-authenticate": bearerChallenge(failure),
        });
      }
      return yoga.fetch(c.req.raw, c.get("graphqlContext"));
    },
  );

  app.use("/api/*", authenticate);
  mountRestProfiles(app, { run: createOperationRunner(yoga), rateLimiter, publicUrl: config.publicUrl, defaultRealmId });

  app.notFound((c) => c.json({ error: "not_found", message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => {
    logger.error({ err: error, requestId: c.get("requestId") }, "unhandled error");
    return c.json({ error: "server_error", message: "Internal server error" }, 500);
  });

  return app;
}
