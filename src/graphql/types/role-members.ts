// The members of a role (`Role.users`): every user holding it realm-wide or in any tenant, or
// only inside one tenant. Reading users needs users:read on top of the roles:read that led here.
import type { Prisma } from "../../generated/prisma/client.js";
import { realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";

function holdersWhere(roleId: string, tenantId: string | null | undefined, realmId: string): Prisma.UserWhereInput {
  return { realmId, roles: { some: { roleId, ...(tenantId ? { tenantId } : {}) } } };
}

builder.prismaObjectField("Role", "users", (t) =>
  t.prismaConnection({
    type: "User",
    cursor: "id",
    description: `Users holding the role, realm-wide or in a tenant, oldest account first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "users:read" },
    args: { tenantId: t.arg.id({ description: "Only users holding the role inside this tenant." }) },
    resolve: (query, role, args, context) => {
      checkPageSize(args);
      return context.prisma.user.findMany({
        ...query,
        where: holdersWhere(role.id, args.tenantId ? String(args.tenantId) : null, realmOf(context)),
        orderBy: { id: "asc" },
      });
    },
    totalCount: (role, args, context) =>
      context.prisma.user.count({ where: holdersWhere(role.id, args.tenantId ? String(args.tenantId) : null, realmOf(context)) }),
  }),
);
