// The audit log: one AuditEvent per mutation, written in the mutation's transaction. It tells
// about every kind of object (users, roles, applications, keys …), so no per-entity read scope
// fits: reading it needs `audit:read`, also through `node(id)`.
import { GraphQLError } from "graphql";
import { ActorType as ActorTypeValues, type Prisma } from "../../generated/prisma/client.js";
import { inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";

export const ActorType = builder.enumType(ActorTypeValues, { name: "ActorType" });

export const AuditEvent = builder.prismaNode("AuditEvent", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (event, context) => event.realmId === context.principal?.realmId && (context.principal?.scopes.has("audit:read") ?? false),
  select: { realmId: true },
  fields: (t) => ({
    actorType: t.expose("actorType", { type: ActorType }),
    actorId: t.exposeString("actorId", { nullable: true, description: "Client id, user id or management key id of the actor." }),
    action: t.exposeString("action", { description: 'What happened, such as "user.roles.add".' }),
    targetType: t.exposeString("targetType", { nullable: true }),
    targetId: t.exposeString("targetId", { nullable: true }),
    changes: t.field({
      type: "JSONObject",
      description: "Changed fields as { field: { before, after } }; secrets are never recorded.",
      select: { changes: true },
      resolve: (event) => event.changes as Record<string, unknown>,
    }),
    requestId: t.exposeString("requestId", { nullable: true }),
    ip: t.exposeString("ip", { nullable: true }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

const AuditEventFilter = builder.inputType("AuditEventFilter", {
  fields: (t) => ({
    action: t.string({ description: 'An exact action, or a prefix ending in ".*" such as "user.*".' }),
    targetId: t.string(),
    actorId: t.string(),
    from: t.field({ type: "DateTime", description: "At or after this instant." }),
    to: t.field({ type: "DateTime", description: "Before this instant." }),
  }),
});

function auditEventsWhere(filter: typeof AuditEventFilter.$inferInput | null | undefined, realmId: string): Prisma.AuditEventWhereInput {
  const action = filter?.action;
  if (action && action.length > limits.nameLength) {
    throw new GraphQLError(`filter.action must be at most ${limits.nameLength} characters`, {
      extensions: { code: "BAD_USER_INPUT", http: { status: 400 } },
    });
  }
  return {
    realmId,
    ...(action ? { action: action.endsWith(".*") ? { startsWith: action.slice(0, -1) } : action } : {}),
    ...(filter?.targetId ? { targetId: filter.targetId } : {}),
    ...(filter?.actorId ? { actorId: filter.actorId } : {}),
    ...(filter?.from || filter?.to
      ? { createdAt: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
      : {}),
  };
}

const newestFirst: Prisma.AuditEventOrderByWithRelationInput[] = [{ createdAt: "desc" }, { id: "desc" }];

builder.queryFields((t) => ({
  auditEvents: t.prismaConnection({
    type: "AuditEvent",
    cursor: "id",
    description: `The realm's audit log, newest first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "audit:read" },
    args: { filter: t.arg({ type: AuditEventFilter }) },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.auditEvent.findMany({ ...query, where: auditEventsWhere(args.filter, realmOf(context)), orderBy: newestFirst });
    },
    totalCount: (_root, args, context) => context.prisma.auditEvent.count({ where: auditEventsWhere(args.filter, realmOf(context)) }),
  }),
}));
