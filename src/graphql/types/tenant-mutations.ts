// Tenants (seed 001): create, update, delete, and their members. Reading needs users:read (as the
// `tenants` query), writing users:write. Deleting a tenant ends its memberships and the roles
// held inside it (services/tenants.ts).
import { createTenant, deleteTenant, updateTenant } from "../../services/tenants.js";
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

builder.mutationFields((t) => ({
  createTenant: t.field({
    type: TenantPayload,
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkJsonSize("input.customAttributes", input.customAttributes);
      return { tenant: await createTenant(context.prisma, actorOf(context), input) };
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
      return { tenant: await updateTenant(context.prisma, actorOf(context), { ...input, id: String(input.id) }) };
    },
  }),
  deleteTenant: t.field({
    type: DeletePayload,
    description:
      "Deletes the tenant with its memberships and the roles users held inside it: refused when one of those users holds a management scope the caller lacks.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteTenantInput, required: true }) },
    resolve: (_root, { input }, context) => deleteTenant(context.prisma, actorOf(context), { id: String(input.id) }),
  }),
}));
