// /api/v1/{realm}/applications (seed 003, Applications API): applications:read / applications:write.
import { Hono } from "hono";
import { z } from "zod";
import {
  RealmApplicationRolesDocument,
  RealmAssignApplicationRolesDocument,
  RealmCreateApplicationDocument,
  RealmDeleteApplicationDocument,
  RealmGetApplicationDocument,
  RealmListApplicationsDocument,
  RealmRemoveApplicationRolesDocument,
  RealmUpdateApplicationDocument,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, isMutationError, mutationError, notFound } from "./errors.js";
import { pageArguments, pageBody, parseListQuery } from "./pagination.js";
import { pathId } from "./path-ids.js";
import { rateLimited } from "./rate-limit.js";
import { idList, idOf, parseBody } from "./request-body.js";
import { toRealmApplication, toRealmRole } from "./shapes.js";

const createBody = z.strictObject({
  name: z.string(),
  type: z.enum(["spa", "native", "web", "m2m"]),
  description: z.string().nullish(),
  redirect_uris: z.array(z.string()).optional(),
  role_ids: z.array(idOf("Role")).max(100).optional(),
});

const updateBody = z.strictObject({
  name: z.string().optional(),
  description: z.string().nullish(),
  redirect_uris: z.array(z.string()).optional(),
});

const rolesBody = z.strictObject({ role_ids: idList("Role") });

export function applicationsRoutes(deps: RestDeps) {
  const routes = new Hono<AppEnv>();
  const roleOperations = rateLimited(deps, "roleOperations");

  routes.get("/", async (c) => {
    const query = parseListQuery(c);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(RealmListApplicationsDocument, { ...pageArguments(query), search: query.search }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return c.json(pageBody(data.applications.edges.map((edge) => toRealmApplication(edge.node)), query, data.applications.totalCount));
  });

  routes.post("/", async (c) => {
    const body = await parseBody(c, createBody);
    if (body instanceof Response) return body;
    const input = {
      name: body.name,
      type: body.type,
      description: body.description ?? undefined,
      redirectUris: body.redirect_uris,
      roleIds: body.role_ids,
    };
    const data = dataOf(c, await deps.run(RealmCreateApplicationDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createApplication;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [], bodyIds: { Role: "role_ids" } });
    return c.json({ data: toRealmApplication(outcome.application, outcome.clientSecret) }, 201);
  });

  routes.get("/:id", async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmGetApplicationDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.application ? c.json({ data: toRealmApplication(data.application) }) : notFound(c, "Application");
  });

  routes.patch("/:id", async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const body = await parseBody(c, updateBody);
    if (body instanceof Response) return body;
    const input = {
      id,
      name: body.name,
      description: body.description === null ? "" : body.description,
      redirectUris: body.redirect_uris,
    };
    const data = dataOf(c, await deps.run(RealmUpdateApplicationDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateApplication;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmApplication(outcome.application) });
  });

  routes.delete("/:id", async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmDeleteApplicationDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteApplication)) return mutationError(c, data.deleteApplication, { pathIds: [id] });
    return c.body(null, 204);
  });

  routes.get("/:id/roles", roleOperations, async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmApplicationRolesDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.application ? c.json({ data: data.application.roles.map(toRealmRole) }) : notFound(c, "Application");
  });

  routes.post("/:id/roles", roleOperations, async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const body = await parseBody(c, rolesBody);
    if (body instanceof Response) return body;
    const input = { applicationId: id, roleIds: body.role_ids };
    const data = dataOf(c, await deps.run(RealmAssignApplicationRolesDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.assignRolesToApplication;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id], bodyIds: { Role: "role_ids" } });
    return c.json({ data: outcome.application.roles.map(toRealmRole) });
  });

  routes.delete("/:id/roles/:roleId", roleOperations, async (c) => {
    const id = pathId(c, "id", "Application");
    if (id instanceof Response) return id;
    const roleId = pathId(c, "roleId", "Role");
    if (roleId instanceof Response) return roleId;
    const input = { applicationId: id, roleIds: [roleId] };
    const data = dataOf(c, await deps.run(RealmRemoveApplicationRolesDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.removeRolesFromApplication;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id, roleId] });
    return c.body(null, 204);
  });

  return routes;
}
