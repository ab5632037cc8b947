import { managementIndicator } from "../../services/management-api.js";
import { isUniqueViolation } from "../../db/unique-violation.js";
import { newId } from "../../db/ids.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { diffFields, recordAudit } from "../../services/audit.js";
import { ConflictError, NotFoundError, ValidationError } from "../../services/errors.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
import { loadRequired } from "../relation-loader.js";
import { writeErrors } from "./errors.js";

/** Token lifetimes a resource may ask for: one minute to one day. */
const tokenLifetimeRange = { min: 60, max: 86_400 };

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

const ResourcePayload = builder.simpleObject("ResourcePayload", {
  fields: (t) => ({ resource: t.field({ type: Resource }) }),
});
const ScopePayload = builder.simpleObject("ScopePayload", {
  fields: (t) => ({ scope: t.field({ type: Scope }) }),
});
export const DeletePayload = builder.simpleObject("DeletePayload", {
  fields: (t) => ({ deletedId: t.id() }),
});

function checkIndicator(value: string): void {
  try {
    new URL(value);
  } catch {
    throw new ValidationError("input.indicator", "input.indicator must be an absolute URI such as https://api.example.com");
  }
  if (value.length > 500) throw new ValidationError("input.indicator", "input.indicator must be at most 500 characters");
}

function checkTokenLifetime(value: number | null | undefined): void {
  if (value === null || value === undefined) return;
  if (value < tokenLifetimeRange.min || value > tokenLifetimeRange.max) {
    throw new ValidationError("input.tokenLifetime", `input.tokenLifetime must be between ${tokenLifetimeRange.min} and ${tokenLifetimeRange.max} seconds`);
  }
}

async function resourceInRealm(tx: Prisma.TransactionClient, id: string, realmId: string) {
  const resource = await tx.resource.findFirst({ where: { id, realmId } });
  if (!resource) throw new NotFoundError("Resource", id);
  return resource;
}

async function scopeInRealm(tx: Prisma.TransactionClient, id: string, realmId: string, resourceId?: string | number | null) {
  const scope = await tx.scope.findFirst({
    where: { id, realmId, ...(resourceId !== null && resourceId !== undefined ? { resourceId: String(resourceId) } : {}) },
    include: { resource: true },
  });
  if (!scope) throw new NotFoundError("Scope", id);
  return scope;
}

/** The management API and its scopes are the gateway's own contract: they cannot change. */
function refuseManagement(isManagement: boolean, field: string): void {
  if (isManagement) throw new ValidationError(field, "The built-in management API and its scopes cannot be changed");
}

builder.mutationFields((t) => ({
  createResource: t.field({
    type: ResourcePayload,
    authScopes: { scope: "resources:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateResourceInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkIndicator(input.indicator);
      checkTokenLifetime(input.tokenLifetime);
      if (input.indicator === managementIndicator) throw new ConflictError("This indicator names the management API", "input.indicator");
      const realmId = realmOf(context);
      const resource = await context.prisma
        .$transaction(async (tx) => {
          const created = await tx.resource.create({
            data: {
              id: newId("resource"),
              realmId,
              name: input.name.trim(),
              indicator: input.indicator,
              tokenLifetime: input.tokenLifetime ?? 3600,
            },
          });
          await recordAudit(tx, actorOf(context), {
            action: "resource.create",
            targetType: "Resource",
            targetId: created.id,
            changes: { indicator: { before: null, after: created.indicator } },
          });
          return created;
        })
        .catch((error) => {
          if (isUniqueViolation(error)) throw new ConflictError(`An API with the indicator ${input.indicator} exists`, "input.indicator");
          throw error;
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
      checkTokenLifetime(input.tokenLifetime);
      const realmId = realmOf(context);
      const resource = await context.prisma.$transaction(async (tx) => {
        const before = await resourceInRealm(tx, String(input.id), realmId);
        const changes = { name: input.name?.trim() ?? undefined, tokenLifetime: input.tokenLifetime ?? undefined };
        const updated = await tx.resource.update({ where: { id: before.id }, data: changes });
        await recordAudit(tx, actorOf(context), {
          action: "resource.update",
          targetType: "Resource",
          targetId: before.id,
          changes: diffFields(before, changes),
        });
        return updated;
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
      const realmId = realmOf(context);
      await context.prisma.$transaction(async (tx) => {
        const resource = await resourceInRealm(tx, String(input.id), realmId);
        refuseManagement(resource.isManagement, "input.id");
        await tx.resource.delete({ where: { id: resource.id } });
        await recordAudit(tx, actorOf(context), {
          action: "resource.delete",
          targetType: "Resource",
          targetId: resource.id,
          changes: { indicator: { before: resource.indicator, after: null } },
        });
      });
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
      if (/\s/.test(input.name)) throw new ValidationError("input.name", "input.name must not contain whitespace");
      const realmId = realmOf(context);
      const scope = await context.prisma
        .$transaction(async (tx) => {
          const resource = await resourceInRealm(tx, String(input.resourceId), realmId);
          refuseManagement(resource.isManagement, "input.resourceId");
          const created = await tx.scope.create({
            data: { id: newId("scope"), realmId, resourceId: resource.id, name: input.name, description: input.description ?? null },
          });
          await recordAudit(tx, actorOf(context), {
            action: "scope.create",
            targetType: "Scope",
            targetId: created.id,
            changes: { name: { before: null, after: created.name } },
          });
          return created;
        })
        .catch((error) => {
          if (isUniqueViolation(error)) throw new ConflictError(`The API already has a scope named ${input.name}`, "input.name");
          throw error;
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
      if (input.name && /\s/.test(input.name)) throw new ValidationError("input.name", "input.name must not contain whitespace");
      const realmId = realmOf(context);
      const scope = await context.prisma
        .$transaction(async (tx) => {
          const before = await scopeInRealm(tx, String(input.id), realmId, input.resourceId);
          refuseManagement(before.resource.isManagement, "input.id");
          const changes = { name: input.name ?? undefined, description: input.description ?? undefined };
          const updated = await tx.scope.update({ where: { id: before.id }, data: changes });
          await recordAudit(tx, actorOf(context), {
            action: "scope.update",
            targetType: "Scope",
            targetId: before.id,
            changes: diffFields(before, changes),
          });
          return updated;
        })
        .catch((error) => {
          if (isUniqueViolation(error)) throw new ConflictError(`The API already has a scope named ${input.name}`, "input.name");
          throw error;
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
      const realmId = realmOf(context);
      await context.prisma.$transaction(async (tx) => {
        const scope = await scopeInRealm(tx, String(input.id), realmId, input.resourceId);
        refuseManagement(scope.resource.isManagement, "input.id");
        await tx.scope.delete({ where: { id: scope.id } });
        await recordAudit(tx, actorOf(context), {
          action: "scope.delete",
          targetType: "Scope",
          targetId: scope.id,
          changes: { name: { before: scope.name, after: null } },
        });
      });
      return { deletedId: String(input.id) };
    },
  }),
}));
