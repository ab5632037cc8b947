// Profile simple (seed 004), mounted at /api/v1/users, always on the default realm. Each route
// parses its input against ./contract.ts, runs one GraphQL operation (role names are resolved
// to ids first; PUT first reads the user whose settings it merges) and reshapes the answer.
// Scopes are checked by the GraphQL schema, never here.
//
// A token of another realm gets 403 forbidden on every route, before its input is read: this
// profile has no way to address that realm's users, and the answer does not depend on whether
// the user_id exists, so it learns nothing about the default realm.
import { Hono } from "hono";
import {
  SimpleCreateUserDocument,
  SimpleDeleteUserDocument,
  SimpleGetUserDocument,
  SimpleListUsersDocument,
  SimpleUpdateUserDocument,
  type CreateUserInput,
  type UpdateUserInput,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import { missingPrincipal } from "../require-principal.js";
import type { RestDeps } from "../rest-deps.js";
import { createUserBody, listUsersQuery, updateUserBody } from "./contract.js";
import { badRequest, dataOf, isMutationError, mutationError, serverError, simpleError, userNotFound } from "./errors.js";
import { simpleOpenApiDocument } from "./openapi.js";
import { rateLimited } from "./rate-limit.js";
import { parseBody, parseQuery, pathUserId } from "./request-input.js";
import { roleIdByName } from "./role-names.js";
import { createdUser, graphqlStatus, listedUser, updatedUser, userDetail } from "./user-shape.js";

export const simpleBasePath = "/api/v1/users";

const unknownRole = (c: Parameters<typeof badRequest>[0], name: string) =>
  badRequest(c, `role ${JSON.stringify(name)} does not name an existing role`);

const withoutUndefined = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;

export function simpleRoutes(deps: RestDeps) {
  const users = new Hono<AppEnv>();

  // Public, before the guard below; never a user id (those are `usr_…`).
  users.get("/openapi.json", (c) => c.json(simpleOpenApiDocument(deps.publicUrl)));

  users.use(async (c, next) => {
    const missing = missingPrincipal(c);
    if (missing) return simpleError(c, 401, "unauthorized", missing.message, missing.headers);
    if (c.get("principal")!.realmId !== deps.defaultRealmId) {
      return simpleError(c, 403, "forbidden", "This API serves the default realm; the token belongs to another realm");
    }
    await next();
  });

  users.get("/", rateLimited(deps, "usersList"), async (c) => {
    const query = parseQuery(c, listUsersQuery);
    if (query instanceof Response) return query;
    let roleIds: string[] | undefined;
    if (query.role !== undefined) {
      const roleId = await roleIdByName(deps, c, query.role);
      if (roleId instanceof Response) return roleId;
      if (roleId === null) return unknownRole(c, query.role);
      roleIds = [roleId];
    }
    const filter = withoutUndefined({ status: query.status && [graphqlStatus(query.status)], roleIds });
    const variables = { filter, first: query.limit, offset: (query.page - 1) * query.limit };
    const data = dataOf(c, await deps.run(SimpleListUsersDocument, variables, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const total = data.users.totalCount;
    return c.json({
      data: data.users.edges.map((edge) => listedUser(edge.node)),
      meta: { total, page: query.page, limit: query.limit, pages: Math.ceil(total / query.limit) },
    });
  });

  users.post("/", rateLimited(deps, "usersCreate"), async (c) => {
    const body = await parseBody(c, createUserBody);
    if (body instanceof Response) return body;
    let roleIds: string[] | undefined;
    if (typeof body.role === "string") {
      const roleId = await roleIdByName(deps, c, body.role);
      if (roleId instanceof Response) return roleId;
      if (roleId === null) return unknownRole(c, body.role);
      roleIds = [roleId];
    }
    const input: CreateUserInput = withoutUndefined({
      email: body.email,
      name: body.name,
      password: body.password,
      userMetadata: body.settings && { settings: body.settings },
      roleIds,
    });
    const data = dataOf(c, await deps.run(SimpleCreateUserDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createUser;
    if (isMutationError(outcome)) return mutationError(c, outcome);
    if (outcome.__typename !== "UserPayload") return serverError(c);
    return c.json({ data: createdUser(outcome.user) }, 201);
  });

  users.get("/:user_id", rateLimited(deps, "usersList"), async (c) => {
    const id = pathUserId(c);
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(SimpleGetUserDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (!data.user) return userNotFound(c);
    return c.json({ data: userDetail(data.user) });
  });

  users.put("/:user_id", rateLimited(deps, "usersUpdate"), async (c) => {
    const id = pathUserId(c);
    if (id instanceof Response) return id;
    const body = await parseBody(c, updateUserBody);
    if (body instanceof Response) return body;
    const current = dataOf(c, await deps.run(SimpleGetUserDocument, { id }, c.get("graphqlContext")));
    if (current instanceof Response) return current;
    if (!current.user) return userNotFound(c);
    let roleIds: string[] | undefined;
    if (body.role !== undefined) {
      const roleId = body.role === null ? null : await roleIdByName(deps, c, body.role);
      if (roleId instanceof Response) return roleId;
      if (body.role !== null && roleId === null) return unknownRole(c, body.role);
      roleIds = roleId === null ? [] : [roleId];
    }
    // One mutation, so the role and the fields change together or not at all.
    const input: UpdateUserInput = withoutUndefined({
      id,
      name: body.name,
      status: body.status && graphqlStatus(body.status),
      mergeUserMetadata: body.settings === undefined ? undefined : { settings: body.settings },
      roleIds,
    });
    if (Object.keys(input).length === 1) return c.json({ data: updatedUser(current.user) });
    const data = dataOf(c, await deps.run(SimpleUpdateUserDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateUser;
    if (isMutationError(outcome)) return mutationError(c, outcome);
    if (outcome.__typename !== "UserPayload") return serverError(c);
    return c.json({ data: updatedUser(outcome.user) });
  });

  users.delete("/:user_id", rateLimited(deps, "usersUpdate"), async (c) => {
    const id = pathUserId(c);
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(SimpleDeleteUserDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteUser)) return mutationError(c, data.deleteUser);
    return c.json({ success: true, message: "User deleted successfully" });
  });

  return users;
}
