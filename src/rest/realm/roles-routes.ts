// /api/v1/{realm}/roles (seed 003, Roles API): roles:read / roles:write.
import { Hono } from "hono";
import { z } from "zod";
import {
  RealmAssignRoleScopesDocument,
  RealmCreateRoleDocument,
  RealmDeleteRoleDocument,
  RealmGetRoleDocument,
  RealmListRolesDocument,
  RealmRemoveRoleScopesDocument,
  RealmRoleScopesDocument,
  RealmUpdateRoleDocument,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, isMutationError, mutationError, notFound } from "./errors.js";
import { pageArguments, pageBody, parseListQuery } from "./pagination.js";
import { pathId } from "./path-ids.js";
import { idList, idOf, parseBody } from "./request-body.js";
import { toRealmRole, toRealmScope } from "./shapes.js";

const createBody = z.strictObject({
  name: z.string(),
  description: z.string().nullish(),
  scope_ids: z.array(idOf("Scope")).max(100).optional(),
});

const updateBody = z.strictObject({
  name: z.string().optional(),
  description: z.string().nullish(),
});

const scopesBody = z.strictObject({ scope_ids: idList("Scope") });

export function rolesRoutes(deps: RestDeps) {
  const routes = new Hono<AppEnv>();

  routes.get("/", async (c) => {
    const query = parseListQuery(c);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(RealmListRolesDocument, { ...pageArguments(query), search: query.search }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return c.json(pageBody(data.roles.edges.map((edge) => toRealmRole(edge.node)), query, data.roles.totalCount));
  });

  routes.post("/", async (c) => {
    const body = await parseBody(c, createBody);
    if (body instanceof Response) return body;
    const input = { name: body.name, description: body.description ?? undefined, scopeIds: body.scope_ids };
    const data = dataOf(c, await deps.run(RealmCreateRoleDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createRole;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [], bodyIds: { Scope: "scope_ids" } });
    return c.json({ data: toRealmRole(outcome.role) }, 201);
  });

  routes.get("/:id", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmGetRoleDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.role ? c.json({ data: toRealmRole(data.role) }) : notFound(c, "Role");
  });

  routes.patch("/:id", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const body = await parseBody(c, updateBody);
    if (body instanceof Response) return body;
    const input = { id, name: body.name, description: body.description === null ? "" : body.description };
    const data = dataOf(c, await deps.run(RealmUpdateRoleDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateRole;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmRole(outcome.role) });
  });

  routes.delete("/:id", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmDeleteRoleDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteRole)) return mutationError(c, data.deleteRole, { pathIds: [id] });
    return c.body(null, 204);
  });

  routes.get("/:id/scopes", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmRoleScopesDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.role ? c.json({ data: data.role.scopes.map(toRealmScope) }) : notFound(c, "Role");
  });

  routes.post("/:id/scopes", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const body = await parseBody(c, scopesBody);
    if (body instanceof Response) return body;
    const data = dataOf(c, await deps.run(RealmAssignRoleScopesDocument, { input: { roleId: id, scopeIds: body.scope_ids } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.assignScopesToRole;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id], bodyIds: { Scope: "scope_ids" } });
    return c.json({ data: outcome.role.scopes.map(toRealmScope) });
  });

  routes.delete("/:id/scopes/:scopeId", async (c) => {
    const id = pathId(c, "id", "Role");
    if (id instanceof Response) return id;
    const scopeId = pathId(c, "scopeId", "Scope");
    if (scopeId instanceof Response) return scopeId;
    const data = dataOf(c, await deps.run(RealmRemoveRoleScopesDocument, { input: { roleId: id, scopeIds: [scopeId] } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.removeScopesFromRole;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id, scopeId] });
    return c.body(null, 204);
  });

  return routes;
}
