// The realm's roles and their members: GET /roles, /roles/{id} and /roles/{id}/users. Members
// come by page (`page`/`per_page`, with `include_totals`) or by checkpoint (`from`/`take`,
// answered `{users, next}`) as in Auth0's Management API v2.
import { Hono, type Context } from "hono";
import { z } from "zod";
import { V2GetRoleDocument, V2ListRolesDocument, V2RoleUsersDocument } from "../../generated/graphql.js";
import { decodeId } from "../../graphql/global-id.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, inexistentRole, v2Error } from "./errors.js";
import { pageArguments, pageParams, parseQuery, totalsBody, wholeNumber } from "./query-params.js";
import { rateLimited } from "./rate-limit.js";
import { toV2Role, toV2RoleMember } from "./role-shape.js";
import { maxRolesPerPage } from "./user-roles-routes.js";

export const listRolesQuery = z.strictObject({
  ...pageParams(maxRolesPerPage),
  name_filter: z.string().max(200).optional(),
});

export const roleUsersQuery = z.strictObject({
  ...pageParams(maxRolesPerPage),
  from: z.string().min(1).max(500).optional(),
  take: wholeNumber(1, maxRolesPerPage).optional(),
});

/** The role id of the path, or the 400 to send. */
function pathRoleId(c: Context): string | Response {
  const value = c.req.param("id") ?? "";
  if (decodeId(value).typename === "Role") return value;
  return v2Error(c, 400, `Path validation error: id must be a role id such as "rol_01…" (got ${JSON.stringify(value.slice(0, 100))})`, "invalid_uri");
}

export function rolesRoutes(deps: RestDeps) {
  const roles = new Hono<AppEnv>();
  const roleOperations = rateLimited(deps, "roleOperations");

  roles.get("/roles", roleOperations, async (c) => {
    const query = parseQuery(c, listRolesQuery);
    if (query instanceof Response) return query;
    const variables = { ...pageArguments(query), search: query.name_filter?.trim() || null, withTotal: query.include_totals };
    const data = dataOf(c, await deps.run(V2ListRolesDocument, variables, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const list = data.roles.edges.map((edge) => toV2Role(edge.node));
    return c.json(query.include_totals ? totalsBody("roles", list, query, data.roles.totalCount ?? 0) : list);
  });

  roles.get("/roles/:id", roleOperations, async (c) => {
    const id = pathRoleId(c);
    if (typeof id !== "string") return id;
    const query = parseQuery(c, z.strictObject({}));
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(V2GetRoleDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.role ? c.json(toV2Role(data.role)) : inexistentRole(c);
  });

  roles.get("/roles/:id/users", roleOperations, async (c) => {
    const id = pathRoleId(c);
    if (typeof id !== "string") return id;
    const query = parseQuery(c, roleUsersQuery);
    if (query instanceof Response) return query;
    const checkpoint = query.from !== undefined || query.take !== undefined;
    const page = checkpoint
      ? { first: query.take ?? maxRolesPerPage, offset: null, after: query.from ?? null }
      : { ...pageArguments(query), after: null };
    const variables = { id, roleIds: [id], ...page, withTotal: query.include_totals };
    const data = dataOf(c, await deps.run(V2RoleUsersDocument, variables, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (!data.role) return inexistentRole(c);
    const users = data.users.edges.map((edge) => toV2RoleMember(edge.node));
    if (checkpoint) {
      const next = data.users.pageInfo.hasNextPage ? (data.users.pageInfo.endCursor ?? undefined) : undefined;
      return c.json({ users, next, ...(query.include_totals ? { total: data.users.totalCount ?? 0 } : {}) });
    }
    return c.json(query.include_totals ? totalsBody("users", users, query, data.users.totalCount ?? 0) : users);
  });

  return roles;
}
