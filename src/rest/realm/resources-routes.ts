// /api/v1/{realm}/resources (seed 003, Resources API): resources:read / resources:write. A
// scope is addressed under its resource: one of another resource answers 404.
import { Hono } from "hono";
import { z } from "zod";
import {
  RealmCreateResourceDocument,
  RealmCreateScopeDocument,
  RealmDeleteResourceDocument,
  RealmDeleteScopeDocument,
  RealmGetResourceDocument,
  RealmListResourcesDocument,
  RealmResourceScopesDocument,
  RealmUpdateResourceDocument,
  RealmUpdateScopeDocument,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, isMutationError, mutationError, notFound } from "./errors.js";
import { pageArguments, pageBody, parseListQuery } from "./pagination.js";
import { pathId } from "./path-ids.js";
import { parseBody } from "./request-body.js";
import { toRealmResource, toRealmScope } from "./shapes.js";

/** Access token lifetime in seconds, as the GraphQL schema bounds it. */
const tokenLifetime = z.number().int().min(60).max(86_400);

const createBody = z.strictObject({
  name: z.string(),
  indicator: z.string(),
  token_lifetime: tokenLifetime.optional(),
});

const updateBody = z.strictObject({
  name: z.string().optional(),
  token_lifetime: tokenLifetime.optional(),
});

const createScopeBody = z.strictObject({
  name: z.string(),
  description: z.string().nullish(),
});

const updateScopeBody = z.strictObject({
  name: z.string().optional(),
  description: z.string().nullish(),
});

export function resourcesRoutes(deps: RestDeps) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const query = parseListQuery(c);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(RealmListResourcesDocument, { ...pageArguments(query), search: query.search }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return c.json(pageBody(data.resources.edges.map((edge) => toRealmResource(edge.node)), query, data.resources.totalCount));
  });

  routes.post("/", async (c) => {
    const body = await parseBody(c, createBody);
    if (body instanceof Response) return body;
    const input = { name: body.name, indicator: body.indicator, tokenLifetime: body.token_lifetime };
    const data = dataOf(c, await deps.run(RealmCreateResourceDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createResource;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [] });
    return c.json({ data: toRealmResource(outcome.resource) }, 201);
  });

  routes.get("/:id", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmGetResourceDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.resource ? c.json({ data: toRealmResource(data.resource) }) : notFound(c, "Resource");
  });

  routes.patch("/:id", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const body = await parseBody(c, updateBody);
    if (body instanceof Response) return body;
    const input = { id, name: body.name, tokenLifetime: body.token_lifetime };
    const data = dataOf(c, await deps.run(RealmUpdateResourceDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateResource;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmResource(outcome.resource) });
  });

  routes.delete("/:id", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmDeleteResourceDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteResource)) return mutationError(c, data.deleteResource, { pathIds: [id] });
    return c.body(null, 204);
  });

  routes.get("/:id/scopes", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmResourceScopesDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.resource ? c.json({ data: data.resource.scopes.map(toRealmScope) }) : notFound(c, "Resource");
  });

  routes.post("/:id/scopes", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const body = await parseBody(c, createScopeBody);
    if (body instanceof Response) return body;
    const input = { resourceId: id, name: body.name, description: body.description ?? undefined };
    const data = dataOf(c, await deps.run(RealmCreateScopeDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createScope;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmScope(outcome.scope) }, 201);
  });

  routes.patch("/:id/scopes/:scopeId", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const scopeId = pathId(c, "scopeId", "Scope");
    if (scopeId instanceof Response) return scopeId;
    const body = await parseBody(c, updateScopeBody);
    if (body instanceof Response) return body;
    const input = { id: scopeId, resourceId: id, name: body.name, description: body.description === null ? "" : body.description };
    const data = dataOf(c, await deps.run(RealmUpdateScopeDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateScope;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id, scopeId], renamed: { id: "scopeId" } });
    return c.json({ data: toRealmScope(outcome.scope) });
  });

  routes.delete("/:id/scopes/:scopeId", async (c) => {
    const id = pathId(c, "id", "Resource");
    if (id instanceof Response) return id;
    const scopeId = pathId(c, "scopeId", "Scope");
    if (scopeId instanceof Response) return scopeId;
    const data = dataOf(c, await deps.run(RealmDeleteScopeDocument, { input: { id: scopeId, resourceId: id } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteScope)) return mutationError(c, data.deleteScope, { pathIds: [id, scopeId] });
    return c.body(null, 204);
  });

  return routes;
}
