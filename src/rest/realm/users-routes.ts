// /api/v1/{realm}/users (seed 003, Users API): users:read / users:write, and users:roles for a
// user's roles. Budgets (seed 000): usersList for the list, usersCreate, usersUpdate for the
// PATCH routes, roleOperations for the roles routes.
import { Hono } from "hono";
import { z } from "zod";
import {
  RealmAddUserRolesDocument,
  RealmCreateUserDocument,
  RealmDeleteUserDocument,
  RealmGetUserDocument,
  RealmListUsersDocument,
  RealmRemoveUserRolesDocument,
  RealmSetUserPasswordDocument,
  RealmSetUserStatusDocument,
  RealmUpdateUserDocument,
  RealmUserIdentitiesDocument,
  RealmUserRolesDocument,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, isMutationError, mutationError, notFound } from "./errors.js";
import { pageArguments, pageBody, parseListQuery } from "./pagination.js";
import { pathId } from "./path-ids.js";
import { rateLimited } from "./rate-limit.js";
import { idList, idOf, parseBody } from "./request-body.js";
import { toRealmIdentity, toRealmRole, toRealmUser } from "./shapes.js";

const metadata = z.record(z.string(), z.unknown());

/** Profile fields a client may set; null clears one on update. */
const profile = {
  email: z.string().nullable().optional(),
  email_verified: z.boolean().optional(),
  username: z.string().nullable().optional(),
  phone: z.string().nullable().optional(),
  name: z.string().nullable().optional(),
  given_name: z.string().nullable().optional(),
  family_name: z.string().nullable().optional(),
  nickname: z.string().nullable().optional(),
  picture: z.string().nullable().optional(),
  user_metadata: metadata.optional(),
  app_metadata: metadata.optional(),
};

const createBody = z.strictObject({
  ...profile,
  email: z.string(),
  password: z.string().optional(),
  role_ids: z.array(idOf("Role")).max(100).optional(),
});

const updateBody = z.strictObject(profile);
const passwordBody = z.strictObject({ password: z.string() });
const suspendedBody = z.strictObject({ is_suspended: z.boolean() });
const rolesBody = z.strictObject({ role_ids: idList("Role") });

type Profile = z.output<z.ZodObject<typeof profile>>;

function profileInput(body: Profile) {
  return {
    email: body.email,
    emailVerified: body.email_verified,
    username: body.username,
    phone: body.phone,
    name: body.name,
    givenName: body.given_name,
    familyName: body.family_name,
    nickname: body.nickname,
    picture: body.picture,
    userMetadata: body.user_metadata,
    appMetadata: body.app_metadata,
  };
}

/** `search=john` is plain text: one phrase matched as a substring of name, email, username… */
const searchPhrase = (search: string | null) => (search === null ? null : `"${search.replace(/["\\]/g, "\\$&")}"`);

export function usersRoutes(deps: RestDeps) {
  const routes = new Hono<AppEnv>();
  const usersUpdate = rateLimited(deps, "usersUpdate");
  const roleOperations = rateLimited(deps, "roleOperations");

  routes.get("/", rateLimited(deps, "usersList"), async (c) => {
    const query = parseListQuery(c);
    if (query instanceof Response) return query;
    const variables = { ...pageArguments(query), search: searchPhrase(query.search) };
    const data = dataOf(c, await deps.run(RealmListUsersDocument, variables, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return c.json(pageBody(data.users.edges.map((edge) => toRealmUser(edge.node)), query, data.users.totalCount));
  });

  routes.post("/", rateLimited(deps, "usersCreate"), async (c) => {
    const body = await parseBody(c, createBody);
    if (body instanceof Response) return body;
    const input = { ...profileInput(body), email: body.email, password: body.password, roleIds: body.role_ids };
    const data = dataOf(c, await deps.run(RealmCreateUserDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createUser;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [], bodyIds: { Role: "role_ids" } });
    return c.json({ data: toRealmUser(outcome.user) }, 201);
  });

  routes.get("/:id", async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmGetUserDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.user ? c.json({ data: toRealmUser(data.user) }) : notFound(c, "User");
  });

  routes.patch("/:id", usersUpdate, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const body = await parseBody(c, updateBody);
    if (body instanceof Response) return body;
    const data = dataOf(c, await deps.run(RealmUpdateUserDocument, { input: { id, ...profileInput(body) } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateUser;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmUser(outcome.user) });
  });

  routes.delete("/:id", async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmDeleteUserDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteUser)) return mutationError(c, data.deleteUser, { pathIds: [id] });
    return c.body(null, 204);
  });

  routes.patch("/:id/password", usersUpdate, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const body = await parseBody(c, passwordBody);
    if (body instanceof Response) return body;
    const data = dataOf(c, await deps.run(RealmSetUserPasswordDocument, { input: { id, password: body.password } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.setUserPassword;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id] });
    return c.json({ data: toRealmUser(outcome.user) });
  });

  // Blocking suspends the user (ending its sessions); unblocking makes it active.
  routes.patch("/:id/is-suspended", usersUpdate, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const body = await parseBody(c, suspendedBody);
    if (body instanceof Response) return body;
    const input = { id, status: body.is_suspended ? ("suspended" as const) : ("active" as const) };
    const data = dataOf(c, await deps.run(RealmSetUserStatusDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.setUserStatus;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id], renamed: { status: "is_suspended" } });
    return c.json({ data: toRealmUser(outcome.user) });
  });

  routes.get("/:id/roles", roleOperations, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmUserRolesDocument, { userId: id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.userRoles ? c.json({ data: data.userRoles.map(toRealmRole) }) : notFound(c, "User");
  });

  routes.post("/:id/roles", roleOperations, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const body = await parseBody(c, rolesBody);
    if (body instanceof Response) return body;
    const input = { userId: id, roleIds: body.role_ids };
    const data = dataOf(c, await deps.run(RealmAddUserRolesDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.addUserRoles;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id], bodyIds: { Role: "role_ids" } });
    return c.json({ data: outcome.user.roles.map(toRealmRole) });
  });

  routes.delete("/:id/roles/:roleId", roleOperations, async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const roleId = pathId(c, "roleId", "Role");
    if (roleId instanceof Response) return roleId;
    const input = { userId: id, roleIds: [roleId] };
    const data = dataOf(c, await deps.run(RealmRemoveUserRolesDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.removeUserRoles;
    if (isMutationError(outcome)) return mutationError(c, outcome, { pathIds: [id, roleId] });
    return c.body(null, 204);
  });

  routes.get("/:id/identities", async (c) => {
    const id = pathId(c, "id", "User");
    if (id instanceof Response) return id;
    const data = dataOf(c, await deps.run(RealmUserIdentitiesDocument, { id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return data.user ? c.json({ data: data.user.identities.map(toRealmIdentity) }) : notFound(c, "User");
  });

  return routes;
}
