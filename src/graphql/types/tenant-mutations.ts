// Tenants (seed 001): create, update, delete, and their members. Reading needs users:read (as the
// `tenants` query), writing users:write. Deleting a tenant ends its memberships and the roles
// held inside it (onDelete: Cascade); the audit record counts them.
import { isUniqueViolation } from "../../db/unique-violation.js";
import { newId } from "../../db/ids.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { diffFields, recordAudit } from "../../services/audit.js";
import { ConflictError, NotFoundError } from "../../services/errors.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkJsonSize, checkLength, limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";
import { writeErrors } from "./errors.js";
import { DeletePayload } from "./resource.js";
import { Tenant } from "./tenant.js";

builder.prismaObjectField("Tenant", "members", (t) =>
  t.prismaConnection({
    type: "User",
    cursor: "id",
    description: `Users who are members of the tenant, oldest member account first; at most ${limits.listSize} per page.`,
    authScopes: { scope: "users:read" },
    resolve: (query, tenant, args, context) => {
      checkPageSize(args);
      return context.prisma.user.findMany({
        ...query,
        where: { realmId: realmOf(context), tenants: { some: { tenantId: tenant.id } } },
        orderBy: { id: "asc" },
      });
    },
    totalCount: (tenant, _args, context) =>
      context.prisma.userTenant.count({ where: { tenantId: tenant.id, user: { realmId: realmOf(context) } } }),
  }),
);

const CreateTenantInput = builder.inputType("CreateTenantInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: `Unique in the realm; at most ${limits.nameLength} characters.` }),
    customAttributes: t.field({ type: "JSONObject", description: "At most 16 KB of JSON." }),
  }),
});

const UpdateTenantInput = builder.inputType("UpdateTenantInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    customAttributes: t.field({ type: "JSONObject", description: "Replaces the stored object; at most 16 KB of JSON." }),
  }),
});

const DeleteTenantInput = builder.inputType("DeleteTenantInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const TenantPayload = builder.simpleObject("TenantPayload", {
  fields: (t) => ({ tenant: t.field({ type: Tenant }) }),
});

async function tenantInRealm(tx: Prisma.TransactionClient, id: string, realmId: string) {
  const tenant = await tx.tenant.findFirst({ where: { id, realmId } });
  if (!tenant) throw new NotFoundError("Tenant", id);
  return tenant;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error)) throw new ConflictError(`A tenant named "${name}" already exists`, "input.name");
  throw error;
}

builder.mutationFields((t) => ({
  createTenant: t.field({
    type: TenantPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkJsonSize("input.customAttributes", input.customAttributes);
      const realmId = realmOf(context);
      const name = input.name.trim();
      const tenant = await context.prisma
        .$transaction(async (tx) => {
          const created = await tx.tenant.create({
            data: {
              id: newId("tenant"),
              realmId,
              name,
              customAttributes: (input.customAttributes ?? {}) as Prisma.InputJsonObject,
            },
          });
          await recordAudit(tx, actorOf(context), {
            action: "tenant.create",
            targetType: "Tenant",
            targetId: created.id,
            changes: { name: { before: null, after: created.name } },
          });
          return created;
        })
        .catch((error) => nameTaken(error, name));
      return { tenant };
    },
  }),
  updateTenant: t.field({
    type: TenantPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkJsonSize("input.customAttributes", input.customAttributes);
      const realmId = realmOf(context);
      const name = input.name?.trim() ?? undefined;
      const tenant = await context.prisma
        .$transaction(async (tx) => {
          const before = await tenantInRealm(tx, String(input.id), realmId);
          const changes = { name, customAttributes: (input.customAttributes ?? undefined) as Prisma.InputJsonObject | undefined };
          const updated = await tx.tenant.update({ where: { id: before.id }, data: changes });
          await recordAudit(tx, actorOf(context), {
            action: "tenant.update",
            targetType: "Tenant",
            targetId: before.id,
            changes: diffFields(before as unknown as Record<string, unknown>, changes),
          });
          return updated;
        })
        .catch((error) => nameTaken(error, name ?? ""));
      return { tenant };
    },
  }),
  deleteTenant: t.field({
    type: DeletePayload,
    description: "Deletes the tenant with its memberships and the roles users held inside it.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      await context.prisma.$transaction(async (tx) => {
        const tenant = await tenantInRealm(tx, String(input.id), realmId);
        const members = await tx.userTenant.count({ where: { tenantId: tenant.id } });
        const roleGrants = await tx.userRole.count({ where: { tenantId: tenant.id } });
        await tx.tenant.delete({ where: { id: tenant.id } });
        await recordAudit(tx, actorOf(context), {
          action: "tenant.delete",
          targetType: "Tenant",
          targetId: tenant.id,
          changes: {
            name: { before: tenant.name, after: null },
            members: { before: members, after: 0 },
            roleGrants: { before: roleGrants, after: 0 },
          },
        });
      });
      return { deletedId: String(input.id) };
    },
  }),
}));
