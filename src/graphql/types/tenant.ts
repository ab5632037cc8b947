import { builder } from "../builder.js";
import { inCallersRealm, realmOf } from "../actor.js";
import { checkPageSize } from "../list-arguments.js";

export const Tenant = builder.prismaNode("Tenant", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (tenant, context) => tenant.realmId === context.principal?.realmId,
  fields: (t) => ({
    name: t.exposeString("name"),
    customAttributes: t.field({ type: "JSONObject", resolve: (row) => row.customAttributes as Record<string, unknown> }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

builder.queryFields((t) => ({
  tenants: t.prismaConnection({
    type: "Tenant",
    cursor: "id",
    authScopes: { scope: "users:read" },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.tenant.findMany({ ...query, where: { realmId: realmOf(context) } });
    },
    totalCount: (_root, _args, context) => context.prisma.tenant.count({ where: { realmId: realmOf(context) } }),
  }),
  tenant: t.prismaField({
    type: "Tenant",
    nullable: true,
    authScopes: { scope: "users:read" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.tenant.findFirst({ ...query, where: { id: String(args.id), realmId: realmOf(context) } }),
  }),
}));
