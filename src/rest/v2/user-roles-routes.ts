// A user's roles and the permissions they grant (seed 000 "Role Management"):
// GET|POST|DELETE /users/{id}/roles and GET /users/{id}/permissions.
import { Hono, type Context } from "hono";
import { z } from "zod";
import {
  V2AddUserRolesDocument,
  V2RemoveUserRolesDocument,
  V2UserPermissionsDocument,
  V2UserRolesDocument,
  type UserRolesInput,
} from "../../generated/graphql.js";
import { decodeId } from "../../graphql/global-id.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, inexistentUser, isMutationError, mutationError } from "./errors.js";
import { pageParams, parseQuery, slicePage, totalsBody } from "./query-params.js";
import { rateLimited } from "./rate-limit.js";
import { parseBody } from "./request-body.js";
import { toV2Permissions, toV2Role } from "./role-shape.js";
import { checkUserRef } from "./user-ref.js";
import { isNamedUser, pathUserId } from "./user-shape.js";

/** Auth0: role and permission lists hold at most 100 per page. */
export const maxRolesPerPage = 100;

export const pagedListQuery = z.strictObject(pageParams(maxRolesPerPage));

export const roleId = z.string().refine((value) => decodeId(value).typename === "Role", { message: 'must be a role id such as "rol_01…"' });

/** `{roles: [ids]}`: one to a hundred role ids. */
export const userRolesBody = z.strictObject({ roles: z.array(roleId).min(1).max(100) });

export function userRolesRoutes(deps: RestDeps) {
  const routes = new Hono<AppEnv>();
  const roleOperations = rateLimited(deps, "roleOperations");

  routes.get("/users/:id/roles", roleOperations, async (c) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const query = parseQuery(c, pagedListQuery);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(V2UserRolesDocument, { id: ref.id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (!isNamedUser(ref, data.user)) return inexistentUser(c);
    const roles = data.user!.roles.map(toV2Role);
    const page = slicePage(roles, query);
    return c.json(query.include_totals ? totalsBody("roles", page, query, roles.length) : page);
  });

  type Outcome = { __typename: string } | Response;
  type Change = (c: Context<AppEnv>, input: UserRolesInput) => Promise<Outcome>;
  const add: Change = async (c, input) => {
    const data = dataOf(c, await deps.run(V2AddUserRolesDocument, { input }, c.get("graphqlContext")));
    return data instanceof Response ? data : data.addUserRoles;
  };
  const remove: Change = async (c, input) => {
    const data = dataOf(c, await deps.run(V2RemoveUserRolesDocument, { input }, c.get("graphqlContext")));
    return data instanceof Response ? data : data.removeUserRoles;
  };

  const changeRoles = (change: Change) => async (c: Context<AppEnv>) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const body = await parseBody(c, userRolesBody);
    if (body instanceof Response) return body;
    const mismatch = await checkUserRef(deps, c, ref);
    if (mismatch) return mismatch;
    const outcome = await change(c, { userId: ref.id, roleIds: body.roles });
    if (outcome instanceof Response) return outcome;
    if (isMutationError(outcome)) return mutationError(c, outcome);
    return c.body(null, 204);
  };
  routes.post("/users/:id/roles", roleOperations, changeRoles(add));
  routes.delete("/users/:id/roles", roleOperations, changeRoles(remove));

  routes.get("/users/:id/permissions", rateLimited(deps, "usersList"), async (c) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const query = parseQuery(c, pagedListQuery);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(V2UserPermissionsDocument, { id: ref.id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (!isNamedUser(ref, data.user)) return inexistentUser(c);
    const permissions = toV2Permissions(data.user!.roles);
    const page = slicePage(permissions, query);
    return c.json(query.include_totals ? totalsBody("permissions", page, query, permissions.length) : page);
  });

  return routes;
}
