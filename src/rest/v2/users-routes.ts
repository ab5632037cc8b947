// /users and /users-by-email of profile v2 (seeds 000 and 002): list, read, create, update, delete.
// Each route parses its input against its zod schema (queries here, bodies in user-bodies.ts), runs
// one GraphQL operation and reshapes the answer. PATCH first reads the user to check the
// connection it names; DELETE first checks a prefixed user_id against the user's connection (user-ref.ts).
import { Hono } from "hono";
import { z } from "zod";
import {
  V2CreateUserDocument,
  V2DeleteUserDocument,
  V2GetUserDocument,
  V2ListUsersDocument,
  V2UpdateUserDocument,
  V2UsersByEmailDocument,
  type CreateUserInput,
  type UpdateUserInput,
  type UserOrder,
} from "../../generated/graphql.js";
import type { AppEnv } from "../../http/app-env.js";
import type { RestDeps } from "../rest-deps.js";
import { dataOf, inexistentUser, isMutationError, mutationError, v2Error } from "./errors.js";
import { pageArguments, pageParams, parseQuery } from "./query-params.js";
import { rateLimited } from "./rate-limit.js";
import { parseBody } from "./request-body.js";
import { createUserBody, metadataPatch, profileInput, statusChange, updateUserBody, withoutUndefined } from "./user-bodies.js";
import { checkUserRef } from "./user-ref.js";
import { connectionPattern, fieldsParams, isNamedUser, pathUserId, pickFields, toV2User } from "./user-shape.js";

/** Seed 000: `per_page` 1–50. */
export const maxUsersPerPage = 50;

const sortFields: Record<string, UserOrder["field"]> = {
  created_at: "CREATED_AT",
  updated_at: "UPDATED_AT",
  email: "EMAIL",
  name: "NAME",
  last_login: "LAST_LOGIN_AT",
};

const sortParam = z
  .string()
  .regex(new RegExp(`^(${Object.keys(sortFields).join("|")}):(1|-1)$`), `must be field:1 or field:-1 with field one of ${Object.keys(sortFields).join(", ")}`)
  .transform((value): UserOrder => {
    const [field, direction] = value.split(":");
    return { field: sortFields[field!]!, direction: direction === "1" ? "ASC" : "DESC" };
  });

export const listUsersQuery = z.strictObject({
  ...pageParams(maxUsersPerPage),
  q: z.string().max(2000).optional(),
  sort: sortParam.optional(),
  connection: z.string().regex(connectionPattern, "must be a connection name").optional(),
  search_engine: z.enum(["v1", "v2", "v3"], { error: "must be v1, v2 or v3" }).optional(),
  ...fieldsParams,
});

export const getUserQuery = z.strictObject(fieldsParams);

export const usersByEmailQuery = z.strictObject({ email: z.string().min(1).max(254), ...fieldsParams });

export function usersRoutes(deps: RestDeps) {
  const users = new Hono<AppEnv>();

  users.get("/users", rateLimited(deps, "usersList"), async (c) => {
    const query = parseQuery(c, listUsersQuery);
    if (query instanceof Response) return query;
    const connection = query.connection ? `identities.connection:"${query.connection}"` : null;
    const search = query.q?.trim() ? (connection ? `(${query.q}) AND ${connection}` : query.q) : connection;
    const result = await deps.run(
      V2ListUsersDocument,
      { ...pageArguments(query), search, orderBy: query.sort ?? null, withTotal: query.include_totals },
      c.get("graphqlContext"),
    );
    const data = dataOf(c, result);
    if (data instanceof Response) return data;
    const list = data.users.edges.map((edge) => pickFields(toV2User(edge.node), query));
    if (!query.include_totals) return c.json({ users: list });
    const start = query.page * query.per_page;
    return c.json({ start, limit: query.per_page, length: list.length, total: data.users.totalCount ?? 0, users: list });
  });

  users.get("/users-by-email", rateLimited(deps, "usersList"), async (c) => {
    const query = parseQuery(c, usersByEmailQuery);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(V2UsersByEmailDocument, { email: query.email, first: maxUsersPerPage }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    return c.json(data.users.edges.map((edge) => pickFields(toV2User(edge.node), query)));
  });

  users.get("/users/:id", rateLimited(deps, "usersList"), async (c) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const query = parseQuery(c, getUserQuery);
    if (query instanceof Response) return query;
    const data = dataOf(c, await deps.run(V2GetUserDocument, { id: ref.id }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (!isNamedUser(ref, data.user)) return inexistentUser(c);
    return c.json(pickFields(toV2User(data.user!), query));
  });

  users.post("/users", rateLimited(deps, "usersCreate"), async (c) => {
    const body = await parseBody(c, createUserBody);
    if (body instanceof Response) return body;
    const input: CreateUserInput = withoutUndefined({
      ...profileInput(body),
      connection: body.connection,
      userMetadata: body.user_metadata,
      appMetadata: body.app_metadata,
      status: body.blocked ? ("suspended" as const) : undefined,
    });
    const data = dataOf(c, await deps.run(V2CreateUserDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.createUser;
    if (isMutationError(outcome)) return mutationError(c, outcome);
    if (outcome.__typename !== "UserPayload") return v2Error(c, 500, "Internal server error");
    return c.json(toV2User(outcome.user), 201);
  });

  users.patch("/users/:id", rateLimited(deps, "usersUpdate"), async (c) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const body = await parseBody(c, updateUserBody);
    if (body instanceof Response) return body;
    const current = dataOf(c, await deps.run(V2GetUserDocument, { id: ref.id }, c.get("graphqlContext")));
    if (current instanceof Response) return current;
    const user = current.user;
    if (!isNamedUser(ref, user)) return inexistentUser(c);
    if (body.connection !== undefined && body.connection !== user.connection) {
      return v2Error(c, 400, `Payload validation error: connection ${body.connection} is not the user's connection`, "invalid_body");
    }
    const input: UpdateUserInput = withoutUndefined({
      id: user.id,
      ...profileInput(body),
      ...metadataPatch("userMetadata", body.user_metadata),
      ...metadataPatch("appMetadata", body.app_metadata),
      status: statusChange(user.status, body.blocked),
    });
    if (Object.keys(input).length === 1) return c.json(toV2User(user));
    const data = dataOf(c, await deps.run(V2UpdateUserDocument, { input }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    const outcome = data.updateUser;
    if (isMutationError(outcome)) return mutationError(c, outcome);
    if (outcome.__typename !== "UserPayload") return v2Error(c, 500, "Internal server error");
    return c.json(toV2User(outcome.user, user.identities));
  });

  users.delete("/users/:id", rateLimited(deps, "usersUpdate"), async (c) => {
    const ref = pathUserId(c);
    if (ref instanceof Response) return ref;
    const mismatch = await checkUserRef(deps, c, ref);
    if (mismatch) return mismatch;
    const data = dataOf(c, await deps.run(V2DeleteUserDocument, { input: { id: ref.id } }, c.get("graphqlContext")));
    if (data instanceof Response) return data;
    if (isMutationError(data.deleteUser)) return mutationError(c, data.deleteUser);
    return c.body(null, 204);
  });

  return users;
}
