import { recordAudit, diffFields } from "../../services/audit.js";
import { ConflictError, NotFoundError } from "../../services/errors.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import { newId } from "../../db/ids.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { builder } from "../builder.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, checkListSize, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
import { findScopesInRealm } from "../../services/realm-lookups.js";
import { loadRelatedRows } from "../relation-loader.js";
import { writeErrors } from "./errors.js";
import { DeletePayload, Scope } from "./resource.js";

export const Role = builder.prismaNode("Role", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (role, context) => role.realmId === context.principal?.realmId,
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    scopes: t.field({
      type: [Scope],
      description: "The permissions the role grants.",
      resolve: (role, _args, context) => loadRelatedRows(context, "scopesOfRole", role.id),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

function rolesWhere(args: { nameStartsWith?: string | null; search?: string | null }, context: GraphQLContext): Prisma.RoleWhereInput {
  const search = containsText(args.search);
  return {
    realmId: realmOf(context),
    AND: [args.nameStartsWith ? { name: { startsWith: args.nameStartsWith } } : {}, search ? { name: search } : {}],
  };
}

builder.queryFields((t) => ({
  roles: t.prismaConnection({
    type: "Role",
    cursor: "id",
    authScopes: { scope: "roles:read" },
    args: {
      nameStartsWith: t.arg.string({ required: false }),
      search: t.arg.string({ description: listArgumentDescriptions.search }),
      offset: t.arg.int({ description: listArgumentDescriptions.offset }),
    },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.role.findMany({ ...query, skip: query.skip + offsetOf(args.offset), where: rolesWhere(args, context) });
    },
    totalCount: (_root, args, context) => context.prisma.role.count({ where: rolesWhere(args, context) }),
  }),
  role: t.prismaField({
    type: "Role",
    nullable: true,
    authScopes: { scope: "roles:read" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.role.findFirst({ ...query, where: { id: String(args.id), realmId: realmOf(context) } }),
  }),
}));

const CreateRoleInput = builder.inputType("CreateRoleInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    scopeIds: t.idList({ description: "Scopes the role grants from the start." }),
  }),
});

const UpdateRoleInput = builder.inputType("UpdateRoleInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
  }),
});

const RoleScopesInput = builder.inputType("RoleScopesInput", {
  fields: (t) => ({
    roleId: t.id({ required: true }),
    scopeIds: t.idList({ required: true }),
  }),
});

const DeleteInput = builder.inputType("DeleteRoleInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const RolePayload = builder.simpleObject("RolePayload", {
  fields: (t) => ({ role: t.field({ type: Role }) }),
});

async function roleInRealm(prisma: Prisma.TransactionClient, id: string, realmId: string) {
  const role = await prisma.role.findFirst({ where: { id, realmId } });
  if (!role) throw new NotFoundError("Role", id);
  return role;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error)) throw new ConflictError(`A role named "${name}" already exists`, "input.name");
  throw error;
}

builder.mutationFields((t) => ({
  createRole: t.field({
    type: RolePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateRoleInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      checkListSize("input.scopeIds", input.scopeIds);
      const realmId = realmOf(context);
      const role = await context.prisma
        .$transaction(async (tx) => {
          const scopes = await findScopesInRealm(tx, (input.scopeIds ?? []).map(String), realmId);
          const created = await tx.role.create({
            data: {
              id: newId("role"),
              realmId,
              name: input.name.trim(),
              description: input.description ?? null,
              scopes: { create: scopes.map((scope) => ({ scopeId: scope.id })) },
            },
          });
          await recordAudit(tx, actorOf(context), {
            action: "role.create",
            targetType: "Role",
            targetId: created.id,
            changes: { name: { before: null, after: created.name }, scopes: { before: [], after: scopes.map((s) => s.name) } },
          });
          return created;
        })
        .catch((error) => nameTaken(error, input.name));
      return { role };
    },
  }),
  updateRole: t.field({
    type: RolePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateRoleInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      const realmId = realmOf(context);
      const role = await context.prisma
        .$transaction(async (tx) => {
          const before = await roleInRealm(tx, String(input.id), realmId);
          const changes = { name: input.name?.trim() ?? undefined, description: input.description ?? undefined };
          const updated = await tx.role.update({ where: { id: before.id }, data: changes });
          await recordAudit(tx, actorOf(context), {
            action: "role.update",
            targetType: "Role",
            targetId: before.id,
            changes: diffFields(before, changes),
          });
          return updated;
        })
        .catch((error) => nameTaken(error, input.name ?? ""));
      return { role };
    },
  }),
  deleteRole: t.field({
    type: DeletePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      await context.prisma.$transaction(async (tx) => {
        const role = await roleInRealm(tx, String(input.id), realmId);
        await tx.role.delete({ where: { id: role.id } });
        await recordAudit(tx, actorOf(context), {
          action: "role.delete",
          targetType: "Role",
          targetId: role.id,
          changes: { name: { before: role.name, after: null } },
        });
      });
      return { deletedId: String(input.id) };
    },
  }),
  assignScopesToRole: t.field({
    type: RolePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: RoleScopesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.scopeIds", input.scopeIds);
      const realmId = realmOf(context);
      const role = await context.prisma.$transaction(async (tx) => {
        const role = await roleInRealm(tx, String(input.roleId), realmId);
        const scopes = await findScopesInRealm(tx, input.scopeIds.map(String), realmId);
        await tx.roleScope.createMany({
          data: scopes.map((scope) => ({ roleId: role.id, scopeId: scope.id })),
          skipDuplicates: true,
        });
        await recordAudit(tx, actorOf(context), {
          action: "role.scopes.assign",
          targetType: "Role",
          targetId: role.id,
          changes: { scopes: { before: null, after: scopes.map((scope) => scope.name) } },
        });
        return role;
      });
      return { role };
    },
  }),
  removeScopesFromRole: t.field({
    type: RolePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: RoleScopesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.scopeIds", input.scopeIds);
      const realmId = realmOf(context);
      const role = await context.prisma.$transaction(async (tx) => {
        const role = await roleInRealm(tx, String(input.roleId), realmId);
        const scopes = await findScopesInRealm(tx, input.scopeIds.map(String), realmId);
        await tx.roleScope.deleteMany({ where: { roleId: role.id, scopeId: { in: scopes.map((scope) => scope.id) } } });
        await recordAudit(tx, actorOf(context), {
          action: "role.scopes.remove",
          targetType: "Role",
          targetId: role.id,
          changes: { scopes: { before: scopes.map((scope) => scope.name), after: null } },
        });
        return role;
      });
      return { role };
    },
  }),
}));
