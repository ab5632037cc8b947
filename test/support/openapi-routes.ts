// Compares an OpenAPI document with the routes a Hono app really mounts, so the served
// documents cannot drift from the code.
import type { Hono } from "hono";

type OpenApiDocument = { paths: Record<string, Record<string, unknown>> };

const methods = new Set(["get", "post", "put", "patch", "delete"]);

/** "GET /users/{id}" for every operation of the document. */
export function documentedRoutes(document: OpenApiDocument): string[] {
  return Object.entries(document.paths)
    .flatMap(([path, item]) =>
      Object.keys(item)
        .filter((key) => methods.has(key))
        .map((method) => `${method.toUpperCase()} ${path}`),
    )
    .sort();
}

/**
 * "GET /users/{id}" for every route the app mounts under `prefix` (a Hono path such as
 * "/api/v2"), relative to it, with `:param{regex}` written `{param}`.
 */
export function mountedRoutes(app: Hono<any>, prefix: string, except: string[] = ["GET /openapi.json"]): string[] {
  const routes = app.routes
    .filter((route) => route.method !== "ALL" && route.path.startsWith(`${prefix}/`))
    .map((route) => {
      const relative = route.path.slice(prefix.length).replace(/:(\w+)(\{[^}]*\})?/g, "{$1}");
      return `${route.method} ${relative}`;
    });
  return [...new Set(routes)].filter((route) => !except.includes(route)).sort();
}
