// API resources (the realm's APIs, named by their indicator, the `aud` of their tokens) and their
// scopes. The management API is the gateway's own contract: the policy keeps it and its scopes
// read-only, whoever asks.
import { newId } from "../db/ids.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import type { Prisma, PrismaClient, Resource, Scope } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { diffFields, recordAudit } from "./audit.js";
import { ConflictError, NotFoundError, ValidationError } from "./errors.js";
import { managementIndicator } from "./management-api.js";
import { assertResourceWritable } from "./privilege-policy.js";

type Tx = Prisma.TransactionClient;

export type CreateResourceInput = { name: string; indicator: string; tokenLifetime?: number };
export type UpdateResourceInput = { id: string; name?: string; tokenLifetime?: number };
export type CreateScopeInput = { resourceId: string; name: string; description: string | null };
/** `resourceId`, when given, is the resource the scope must belong to. */
export type UpdateScopeInput = { id: string; resourceId?: string; name?: string; description?: string };

/** Token lifetimes a resource may ask for: one minute to one day. */
const tokenLifetimeRange = { min: 60, max: 86_400 };

function checkIndicator(value: string): void {
  try {
    new URL(value);
  } catch {
    throw new ValidationError("input.indicator", "input.indicator must be an absolute URI such as https://api.example.com");
  }
  if (value.length > 500) throw new ValidationError("input.indicator", "input.indicator must be at most 500 characters");
}

function checkTokenLifetime(value: number | undefined): void {
  if (value === undefined) return;
  if (value < tokenLifetimeRange.min || value > tokenLifetimeRange.max) {
    throw new ValidationError("input.tokenLifetime", `input.tokenLifetime must be between ${tokenLifetimeRange.min} and ${tokenLifetimeRange.max} seconds`);
  }
}

function checkScopeName(name: string | undefined): void {
  if (name !== undefined && /\s/.test(name)) throw new ValidationError("input.name", "input.name must not contain whitespace");
}

async function resourceInRealm(tx: Tx, id: string, realmId: string): Promise<Resource> {
  const resource = await tx.resource.findFirst({ where: { id, realmId } });
  if (!resource) throw new NotFoundError("Resource", id);
  return resource;
}

/** A writable resource of the realm: not found, or refused when it is the management API. */
async function writableResource(tx: Tx, id: string, realmId: string): Promise<Resource> {
  const resource = await resourceInRealm(tx, id, realmId);
  assertResourceWritable(resource);
  return resource;
}

/** A scope of a writable resource of the realm (of `resourceId` when given). */
async function writableScope(tx: Tx, id: string, realmId: string, resourceId: string | undefined): Promise<Scope> {
  const scope = await tx.scope.findFirst({ where: { id, realmId, ...(resourceId !== undefined ? { resourceId } : {}) }, include: { resource: true } });
  if (!scope) throw new NotFoundError("Scope", id);
  assertResourceWritable(scope.resource);
  return scope;
}

function scopeNameTaken(error: unknown, name: string | undefined): never {
  if (isUniqueViolation(error)) throw new ConflictError(`The API already has a scope named ${name}`, "input.name");
  throw error;
}

export async function createResource(prisma: PrismaClient, actor: Actor, input: CreateResourceInput): Promise<Resource> {
  checkIndicator(input.indicator);
  checkTokenLifetime(input.tokenLifetime);
  if (input.indicator === managementIndicator) throw new ConflictError("This indicator names the management API", "input.indicator");
  return prisma
    .$transaction(async (tx) => {
      const created = await tx.resource.create({
        data: {
          id: newId("resource"),
          realmId: actor.realmId,
          name: input.name.trim(),
          indicator: input.indicator,
          tokenLifetime: input.tokenLifetime ?? 3600,
        },
      });
      await recordAudit(tx, actor, {
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
}

export async function updateResource(prisma: PrismaClient, actor: Actor, input: UpdateResourceInput): Promise<Resource> {
  checkTokenLifetime(input.tokenLifetime);
  return prisma.$transaction(async (tx) => {
    const before = await writableResource(tx, input.id, actor.realmId);
    const changes = { name: input.name?.trim(), tokenLifetime: input.tokenLifetime };
    const updated = await tx.resource.update({ where: { id: before.id }, data: changes });
    await recordAudit(tx, actor, { action: "resource.update", targetType: "Resource", targetId: before.id, changes: diffFields(before, changes) });
    return updated;
  });
}

export async function deleteResource(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const resource = await writableResource(tx, id, actor.realmId);
    await tx.resource.delete({ where: { id: resource.id } });
    await recordAudit(tx, actor, {
      action: "resource.delete",
      targetType: "Resource",
      targetId: resource.id,
      changes: { indicator: { before: resource.indicator, after: null } },
    });
  });
}

export async function createScope(prisma: PrismaClient, actor: Actor, input: CreateScopeInput): Promise<Scope> {
  checkScopeName(input.name);
  return prisma
    .$transaction(async (tx) => {
      const resource = await writableResource(tx, input.resourceId, actor.realmId);
      const created = await tx.scope.create({
        data: { id: newId("scope"), realmId: actor.realmId, resourceId: resource.id, name: input.name, description: input.description },
      });
      await recordAudit(tx, actor, { action: "scope.create", targetType: "Scope", targetId: created.id, changes: { name: { before: null, after: created.name } } });
      return created;
    })
    .catch((error) => scopeNameTaken(error, input.name));
}

export async function updateScope(prisma: PrismaClient, actor: Actor, input: UpdateScopeInput): Promise<Scope> {
  checkScopeName(input.name);
  return prisma
    .$transaction(async (tx) => {
      const before = await writableScope(tx, input.id, actor.realmId, input.resourceId);
      const changes = { name: input.name, description: input.description };
      const updated = await tx.scope.update({ where: { id: before.id }, data: changes });
      await recordAudit(tx, actor, { action: "scope.update", targetType: "Scope", targetId: before.id, changes: diffFields(before, changes) });
      return updated;
    })
    .catch((error) => scopeNameTaken(error, input.name));
}

export async function deleteScope(prisma: PrismaClient, actor: Actor, input: { id: string; resourceId?: string }): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const scope = await writableScope(tx, input.id, actor.realmId, input.resourceId);
    await tx.scope.delete({ where: { id: scope.id } });
    await recordAudit(tx, actor, { action: "scope.delete", targetType: "Scope", targetId: scope.id, changes: { name: { before: scope.name, after: null } } });
  });
}
