import type { Prisma } from "../../generated/prisma/client.js";
import { createResource, createScope, deleteResource, deleteScope, updateResource, updateScope } from "../../services/resources.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
import { loadRequired } from "../relation-loader.js";
import { writeErrors } from "./errors.js";

export const Resource = builder.prismaNode("Resource", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (resource, context) => resource.realmId === context.principal?.realmId,
  fields: (t) => ({
    name: t.exposeString("name"),
    indicator: t.exposeString("indicator", { description: "The API's identifier: the `aud` of its tokens." }),
    tokenLifetime: t.exposeInt("tokenLifetime", { description: "Access token lifetime in seconds." }),
    isManagement: t.exposeBoolean("isManagement", { description: "The built-in usergate management API." }),
    scopes: t.relation("scopes", { query: { orderBy: { name: "asc" } } }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

export const Scope = builder.prismaNode("Scope", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (scope, context) => scope.realmId === context.principal?.realmId,
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    resource: t.field({ type: Resource, resolve: (scope, _args, context) => loadRequired(context, "resourceById", scope.resourceId) }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

function resourcesWhere(search: string | null | undefined, context: GraphQLContext): Prisma.ResourceWhereInput {
  const text = containsText(search);
  return { realmId: realmOf(context), ...(text ? { OR: [{ name: text }, { indicator: text }] } : {}) };
}

builder.queryFields((t) => ({
  resources: t.prismaConnection({
    type: "Resource",
    cursor: "id",
    authScopes: { scope: "resources:read" },
    args: {
      search: t.arg.string({ description: "Case-insensitive substring of the name or the indicator." }),
      offset: t.arg.int({ description: listArgumentDescriptions.offset }),
    },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.resource.findMany({ ...query, skip: query.skip + offsetOf(args.offset), where: resourcesWhere(args.search, context) });
    },
    totalCount: (_root, args, context) => context.prisma.resource.count({ where: resourcesWhere(args.search, context) }),
  }),
  resource: t.prismaField({
    type: "Resource",
    nullable: true,
    authScopes: { scope: "resources:read" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.resource.findFirst({ ...query, where: { id: String(args.id), realmId: realmOf(context) } }),
  }),
}));

const CreateResourceInput = builder.inputType("CreateResourceInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    indicator: t.string({ required: true, description: "A URI naming the API, used as token audience." }),
    tokenLifetime: t.int({ description: "Seconds, 60 to 86400; 3600 when omitted." }),
  }),
});

const UpdateResourceInput = builder.inputType("UpdateResourceInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    tokenLifetime: t.int(),
  }),
});

const DeleteResourceInput = builder.inputType("DeleteResourceInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const CreateScopeInput = builder.inputType("CreateScopeInput", {
  fields: (t) => ({
    resourceId: t.id({ required: true }),
    name: t.string({ required: true }),
    description: t.string(),
  }),
});

const UpdateScopeInput = builder.inputType("UpdateScopeInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    resourceId: t.id({ description: "When given, the scope must belong to this resource (NotFoundError otherwise)." }),
    name: t.string(),
    description: t.string(),
  }),
});

const DeleteScopeInput = builder.inputType("DeleteScopeInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    resourceId: t.id({ description: "When given, the scope must belong to this resource (NotFoundError otherwise)." }),
  }),
});

const optionalId = (id: string | number | null | undefined) => (id === null || id === undefined ? undefined : String(id));

const ResourcePayload = builder.simpleObject("ResourcePayload", {
  fields: (t) => ({ resource: t.field({ type: Resource }) }),
});
const ScopePayload = builder.simpleObject("ScopePayload", {
  fields: (t) => ({ scope: t.field({ type: Scope }) }),
});
export const DeletePayload = builder.simpleObject("DeletePayload", {
  fields: (t) => ({ deletedId: t.id() }),
});

builder.mutationFields((t) => ({
  createResource: t.field({
    type: ResourcePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateResourceInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      const resource = await createResource(context.prisma, actorOf(context), {
        name: input.name,
        indicator: input.indicator,
        tokenLifetime: input.tokenLifetime ?? undefined,
      });
      return { resource };
    },
  }),
  updateResource: t.field({
    type: ResourcePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateResourceInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      const resource = await updateResource(context.prisma, actorOf(context), {
        id: String(input.id),
        name: input.name ?? undefined,
        tokenLifetime: input.tokenLifetime ?? undefined,
      });
      return { resource };
    },
  }),
  deleteResource: t.field({
    type: DeletePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteResourceInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await deleteResource(context.prisma, actorOf(context), String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
  createScope: t.field({
    type: ScopePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateScopeInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      const scope = await createScope(context.prisma, actorOf(context), {
        resourceId: String(input.resourceId),
        name: input.name,
        description: input.description ?? null,
      });
      return { scope };
    },
  }),
  updateScope: t.field({
    type: ScopePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateScopeInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      const scope = await updateScope(context.prisma, actorOf(context), {
        id: String(input.id),
        resourceId: optionalId(input.resourceId),
        name: input.name ?? undefined,
        description: input.description ?? undefined,
      });
      return { scope };
    },
  }),
  deleteScope: t.field({
    type: DeletePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteScopeInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      await deleteScope(context.prisma, actorOf(context), { id: String(input.id), resourceId: optionalId(input.resourceId) });
      return { deletedId: String(input.id) };
    },
  }),
}));
