// Sign-in attempts (seed 001 "Get User's Login History"): `User.loginHistory` and the realm-wide
// `loginEvents` list with filters, both newest first over the (userId, createdAt) and
// (realmId, createdAt) indexes. Sign-in writes them; the management API only reads (users:read).
import DataLoader from "dataloader";
import { LoginOutcome as LoginOutcomeValues, type Application, type Prisma } from "../../generated/prisma/client.js";
import { inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { limits } from "../input-limits.js";
import { checkPageSize, type PageSize } from "../list-arguments.js";
import { Application as ApplicationType } from "./application.js";

export const LoginOutcome = builder.enumType(LoginOutcomeValues, { name: "LoginOutcome" });

/** Login events name their application by id only (it may be gone): one batched read per request. */
const applicationLoaders = new WeakMap<GraphQLContext, DataLoader<string, Application | null>>();

function applicationsById(context: GraphQLContext): DataLoader<string, Application | null> {
  let loader = applicationLoaders.get(context);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await context.prisma.application.findMany({ where: { id: { in: [...ids] }, realmId: realmOf(context) } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.map((id) => byId.get(id) ?? null);
    });
    applicationLoaders.set(context, loader);
  }
  return loader;
}

export const LoginEvent = builder.prismaNode("LoginEvent", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (event, context) => event.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    user: t.relation("user", { nullable: true, description: "Null for attempts on an unknown identifier." }),
    identifier: t.exposeString("identifier", { nullable: true, description: "What was typed at sign-in." }),
    method: t.exposeString("method", { description: "The sign-in method, such as password or refresh_token." }),
    outcome: t.expose("outcome", { type: LoginOutcome }),
    applicationId: t.exposeID("applicationId", { nullable: true }),
    application: t.field({
      type: ApplicationType,
      nullable: true,
      description: "The application signed in to; null when none was named or it was deleted.",
      select: { applicationId: true },
      resolve: (event, _args, context) => (event.applicationId ? applicationsById(context).load(event.applicationId) : null),
    }),
    ip: t.exposeString("ip", { nullable: true }),
    userAgent: t.exposeString("userAgent", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const newestFirst: Prisma.LoginEventOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

builder.prismaObjectField("User", "loginHistory", (t) =>
  t.relatedConnection("loginEvents", {
    cursor: "id",
    description: `The user's sign-in attempts, newest first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "users:read" },
    totalCount: true,
    // Planned into the user's query, so a refused page size refuses the user field. Pothos passes
    // the connection's own arguments too, though its type leaves them out.
    query: (args) => {
      checkPageSize(args as PageSize);
      return { orderBy: newestFirst };
    },
  }),
);

const LoginEventFilter = builder.inputType("LoginEventFilter", {
  fields: (t) => ({
    userId: t.id(),
    outcome: t.field({ type: [LoginOutcome], description: "Any of these outcomes." }),
    applicationId: t.id(),
    from: t.field({ type: "DateTime", description: "At or after this instant." }),
    to: t.field({ type: "DateTime", description: "Before this instant." }),
  }),
});

function loginEventsWhere(filter: typeof LoginEventFilter.$inferInput | null | undefined, realmId: string): Prisma.LoginEventWhereInput {
  return {
    realmId,
    ...(filter?.userId ? { userId: String(filter.userId) } : {}),
    ...(filter?.outcome?.length ? { outcome: { in: filter.outcome } } : {}),
    ...(filter?.applicationId ? { applicationId: String(filter.applicationId) } : {}),
    ...(filter?.from || filter?.to
      ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
}

builder.queryFields((t) => ({
  loginEvents: t.prismaConnection({
    type: "LoginEvent",
    cursor: "id",
    description: `Sign-in attempts in the realm, newest first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "users:read" },
    args: { filter: t.arg({ type: LoginEventFilter }) },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.loginEvent.findMany({ ...query, where: loginEventsWhere(args.filter, realmOf(context)), orderBy: newestFirst });
    },
    totalCount: (_root, args, context) => context.prisma.loginEvent.count({ where: loginEventsWhere(args.filter, realmOf(context)) }),
  }),
}));
