import type { Prisma } from "../../generated/prisma/client.js";
import { assignScopesToRole, createRole, deleteRole, removeScopesFromRole, updateRole } from "../../services/roles.js";
import { builder } from "../builder.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, checkListSize, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
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
      const role = await createRole(context.prisma, actorOf(context), {
        name: input.name,
        description: input.description ?? null,
        scopeIds: (input.scopeIds ?? []).map(String),
      });
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
      const role = await updateRole(context.prisma, actorOf(context), {
        id: String(input.id),
        name: input.name ?? undefined,
        description: input.description ?? undefined,
      });
      return { role };
    },
  }),
  deleteRole: t.field({
    type: DeletePayload,
    authScopes: { scope: "roles:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await deleteRole(context.prisma, actorOf(context), String(input.id));
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
      const role = await assignScopesToRole(context.prisma, actorOf(context), { roleId: String(input.roleId), scopeIds: input.scopeIds.map(String) });
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
      const role = await removeScopesFromRole(context.prisma, actorOf(context), { roleId: String(input.roleId), scopeIds: input.scopeIds.map(String) });
      return { role };
    },
  }),
}));
