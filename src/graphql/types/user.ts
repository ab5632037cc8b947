import { queryFromInfo } from "@pothos/plugin-prisma";
import { resolveCursorConnection, type ResolveCursorConnectionArgs } from "@pothos/plugin-relay";
import { GraphQLError } from "graphql";
import { UserStatus as UserStatusValues, type User as UserRow } from "../../generated/prisma/client.js";
import { countUsers, findUserRows, isSortValue, userPageIds, type UserCursor, type UserFilters, type UserOrder } from "../../services/user-directory.js";
import { findUserRowById } from "../../services/user-rows-by-id.js";
import { SearchSyntaxError } from "../../services/user-search/index.js";
import { inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";
import { loadRelated, loadRelatedRows, loadRequired } from "../relation-loader.js";
import { Application } from "./application.js";
import { Role } from "./role.js";
import { Tenant } from "./tenant.js";

export const UserStatus = builder.enumType(UserStatusValues, {
  name: "UserStatus",
  description: "invited: created, never signed in; suspended: blocked from signing in; inactive: disabled by an admin.",
});

export const User = builder.prismaNode("User", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (user, context) => user.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    email: t.exposeString("email", { nullable: true, description: "Stored lower-cased." }),
    emailVerified: t.exposeBoolean("emailVerified"),
    phone: t.exposeString("phone", { nullable: true }),
    phoneVerified: t.exposeBoolean("phoneVerified"),
    username: t.exposeString("username", { nullable: true, description: "The login id." }),
    name: t.exposeString("name", { nullable: true }),
    givenName: t.exposeString("givenName", { nullable: true }),
    familyName: t.exposeString("familyName", { nullable: true }),
    middleName: t.exposeString("middleName", { nullable: true }),
    nickname: t.exposeString("nickname", { nullable: true }),
    picture: t.exposeString("picture", { nullable: true }),
    connection: t.exposeString("connection", { description: "Prefix of the Auth0-style user_id." }),
    status: t.expose("status", { type: UserStatus }),
    hasPassword: t.boolean({ select: { passwordHash: true }, resolve: (user) => user.passwordHash !== null }),
    passwordExpired: t.exposeBoolean("passwordExpired"),
    passwordTemporary: t.exposeBoolean("passwordTemporary"),
    passwordChangedAt: t.expose("passwordChangedAt", { type: "DateTime", nullable: true }),
    userMetadata: t.field({ type: "JSONObject", select: { userMetadata: true }, resolve: (row) => row.userMetadata as Record<string, unknown> }),
    appMetadata: t.field({ type: "JSONObject", select: { appMetadata: true }, resolve: (row) => row.appMetadata as Record<string, unknown> }),
    customAttributes: t.field({ type: "JSONObject", select: { customAttributes: true }, resolve: (row) => row.customAttributes as Record<string, unknown> }),
    lastLoginAt: t.expose("lastLoginAt", { type: "DateTime", nullable: true }),
    lastLoginIp: t.exposeString("lastLoginIp", { nullable: true }),
    loginsCount: t.exposeInt("loginsCount"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
    // The access relations load through the request's relation loader (one statement for the
    // whole page), not Prisma's joined query: see ../relation-loader.ts.
    roles: t.field({
      type: [Role],
      description: "Realm-wide roles; `tenantId` gives the roles held in that tenant instead.",
      args: { tenantId: t.arg.id() },
      select: { id: true },
      resolve: async (user, args, context) => {
        const tenantId = args.tenantId ? String(args.tenantId) : null;
        const grants = await loadRelated(context, "rolesOfUser", user.id);
        return grants.filter((grant) => grant.via === tenantId).map((grant) => grant.row);
      },
    }),
    tenantRoles: t.field({
      type: [TenantRole],
      description: "Every role held inside a tenant, with its tenant.",
      select: { id: true },
      resolve: async (user, _args, context) => {
        const grants = (await loadRelated(context, "rolesOfUser", user.id)).filter((grant) => grant.via !== null);
        const tenants = await Promise.all(grants.map((grant) => loadRequired(context, "tenantById", grant.via!)));
        return grants.map((grant, index) => ({ role: grant.row, tenant: tenants[index]! }));
      },
    }),
    tenants: t.field({
      type: [Tenant],
      select: { id: true },
      resolve: (user, _args, context) => loadRelatedRows(context, "tenantsOfUser", user.id),
    }),
    applications: t.field({
      type: [Application],
      description: "Applications the user is assigned to.",
      select: { id: true },
      resolve: (user, _args, context) => loadRelatedRows(context, "applicationsOfUser", user.id),
    }),
  }),
});

const TenantRole = builder.simpleObject("TenantRole", {
  authScopes: (grant, context) => (grant as { tenant: { realmId: string } }).tenant.realmId === context.principal?.realmId,
  fields: (t) => ({ tenant: t.field({ type: Tenant }), role: t.field({ type: Role }) }),
});

const UserFilter = builder.inputType("UserFilter", {
  fields: (t) => ({
    status: t.field({ type: [UserStatus] }),
    roleIds: t.idList({ description: "Users holding any of these roles." }),
    tenantId: t.id(),
    applicationId: t.id(),
    email: t.string({ description: "Exact email, any letter case." }),
    createdAfter: t.field({ type: "DateTime" }),
    createdBefore: t.field({ type: "DateTime" }),
    lastLoginAfter: t.field({ type: "DateTime" }),
    lastLoginBefore: t.field({ type: "DateTime" }),
  }),
});

const UserOrderField = builder.enumType("UserOrderField", {
  values: { CREATED_AT: { value: "createdAt" }, EMAIL: { value: "email" }, NAME: { value: "name" }, LAST_LOGIN_AT: { value: "lastLoginAt" }, UPDATED_AT: { value: "updatedAt" } } as const,
});
const OrderDirection = builder.enumType("OrderDirection", {
  values: { ASC: { value: "asc" }, DESC: { value: "desc" } } as const,
});
const UserOrderInput = builder.inputType("UserOrder", {
  fields: (t) => ({
    field: t.field({ type: UserOrderField, required: true }),
    direction: t.field({ type: OrderDirection, defaultValue: "asc" }),
  }),
});

type UserQuery = { select?: Record<string, unknown>; include?: Record<string, unknown> };

/**
 * Users of the caller's realm by id, with what the GraphQL selection needs. These are the
 * hottest reads: columns alone come straight from the driver, skipping Prisma's per-query
 * compile (roles, tenants and applications load apart, through the relation loader); the
 * relations Pothos plans (identities, passkeys, sessions, login history) take Prisma's joined query.
 */
async function loadUsers(context: GraphQLContext, query: UserQuery, ids: string[]): Promise<UserRow[]> {
  const realmId = realmOf(context);
  const columns = selectedColumns(query);
  if (columns) return (await findUserRows(context.read, realmId, ids, columns)) as UserRow[];
  return context.prisma.user.findMany({ ...query, where: { id: { in: ids }, realmId } });
}

/** One user of the caller's realm: columns alone through the batched driver read (see ../../services/user-rows-by-id.ts). */
async function loadUser(context: GraphQLContext, query: UserQuery, id: string): Promise<UserRow | null> {
  const columns = selectedColumns(query);
  if (columns) return (await findUserRowById(context.read, realmOf(context), id, columns)) as UserRow | null;
  return (await loadUsers(context, query, [id]))[0] ?? null;
}

/** The users of a page, whose ids were just read in the caller's realm: no read when the selection needs nothing else. */
async function loadPageUsers(context: GraphQLContext, query: UserQuery, ids: string[]): Promise<UserRow[]> {
  const columns = selectedColumns(query);
  if (columns?.every((column) => column === "id" || column === "realmId")) return ids.map((id) => ({ id, realmId: realmOf(context) }) as UserRow);
  return loadUsers(context, query, ids);
}

/** The columns a Pothos query selects (none when nothing under the user is), or null when it also selects relations (as objects). */
function selectedColumns(query: UserQuery): string[] | null {
  if (query.include) return null;
  const entries = Object.entries(query.select ?? {});
  return entries.every(([, selected]) => selected === true) ? entries.map(([column]) => column) : null;
}

/** A cursor names the order it was issued for: its sort value means nothing in another one. */
const encodeCursor = (order: UserOrder, cursor: UserCursor) =>
  Buffer.from(JSON.stringify([order.field, order.direction, ...cursor])).toString("base64url");

function decodeCursor(value: string, order: UserOrder): UserCursor {
  let parts: unknown;
  try {
    parts = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    parts = null;
  }
  const valid = Array.isArray(parts) && parts.length === 4 && parts.every((part) => typeof part === "string");
  if (!valid) throw badCursor("The cursor is not one this API returned");
  const [field, direction, sortValue, id] = parts as [string, string, string, string];
  if (field !== order.field || direction !== order.direction) {
    throw badCursor(`The cursor belongs to the order ${field} ${direction}, not ${order.field} ${order.direction}: page with the order it came from`);
  }
  if (!isSortValue(order.field, sortValue)) throw badCursor("The cursor is not one this API returned");
  return [sortValue, id];
}

const badCursor = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });

function searchError(error: unknown): never {
  if (error instanceof SearchSyntaxError) {
    throw new GraphQLError(`Invalid search: ${error.message}`, {
      extensions: { code: "INVALID_SEARCH", position: error.position, http: { status: 400 } },
    });
  }
  throw error;
}

builder.queryFields((t) => ({
  users: t.connection(
    {
      type: User,
      authScopes: { scope: "users:read" },
      description: `Users of the realm, at most ${limits.listSize} per page, in a stable order.`,
      args: {
        filter: t.arg({ type: UserFilter }),
        search: t.arg.string({ description: 'Seed 000 `q` syntax: `email:"a@b.c"`, `name:jo*`, `app_metadata.plan:pro AND NOT blocked:true`.' }),
        orderBy: t.arg({ type: UserOrderInput }),
        offset: t.arg.int({ description: "Rows to skip before the page (page-number pagination); use cursors where you can." }),
      },
      resolve: async (_root, args, context, info) => {
        const realmId = realmOf(context);
        const filters: UserFilters = { ...args.filter, roleIds: args.filter?.roleIds?.map(String), search: args.search };
        const order: UserOrder = { field: args.orderBy?.field ?? "createdAt", direction: args.orderBy?.direction ?? "asc" };
        checkPageSize(args);
        if ((args.first ?? 0) > limits.listSize || (args.last ?? 0) > limits.listSize) {
          throw new GraphQLError(`A page holds at most ${limits.listSize} users`, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
        }
        if (args.offset !== null && args.offset !== undefined && args.offset < 0) {
          throw new GraphQLError("offset must not be negative", { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
        }
        const select = queryFromInfo({ context, info, typeName: "User", path: ["edges", "node"] });
        const connection = await resolveCursorConnection(
          {
            args: { ...args, first: args.first ?? (args.last ? undefined : 20) },
            toCursor: (user: { cursor: UserCursor }) => encodeCursor(order, user.cursor),
            maxSize: limits.listSize,
          },
          async ({ before, after, limit, inverted }: ResolveCursorConnectionArgs) => {
            const page = await userPageIds(context.read, realmId, filters, {
              order,
              after: after ? decodeCursor(after, order) : null,
              before: before ? decodeCursor(before, order) : null,
              limit,
              offset: args.offset ?? 0,
              inverted,
            }).catch(searchError);
            const rows = await loadPageUsers(context, select, page.map((row) => row.id));
            const byId = new Map(rows.map((row) => [row.id, row]));
            return page.map((row) => ({ ...byId.get(row.id)!, cursor: [row.sortValue, row.id] as UserCursor }));
          },
        );
        return Object.assign(connection, { countTotal: () => countUsers(context.read, realmId, filters).catch(searchError) });
      },
    },
    {
      fields: (t) => ({
        totalCount: t.int({
          description: "Users matching the filters; costs a count over them, so ask only when needed.",
          resolve: (connection) => (connection as unknown as { countTotal: () => Promise<number> }).countTotal(),
        }),
      }),
    },
  ),
  user: t.prismaField({
    type: "User",
    nullable: true,
    authScopes: { scope: "users:read" },
    description: "One user of the realm; null when the id is unknown or another realm's.",
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) => loadUser(context, query, String(args.id)),
  }),
  userRoles: t.prismaField({
    type: ["Role"],
    nullable: true,
    description: "A user's realm-wide roles, with users:roles alone (seed 003 GET /users/{id}/roles); null when the user does not exist.",
    authScopes: { scope: "users:roles" },
    args: { userId: t.arg.id({ required: true }) },
    resolve: async (query, _root, args, context) => {
      const realmId = realmOf(context);
      const user = await context.prisma.user.findFirst({ where: { id: String(args.userId), realmId }, select: { id: true } });
      if (!user) return null;
      return context.prisma.role.findMany({
        ...query,
        where: { realmId, users: { some: { userId: user.id, tenantId: null } } },
        orderBy: { id: "asc" },
      });
    },
  }),
}));

/** What a mutation of one user returns; shared by every module with user mutations. */
export const UserPayload = builder.simpleObject("UserPayload", {
  fields: (t) => ({ user: t.field({ type: User }) }),
});
