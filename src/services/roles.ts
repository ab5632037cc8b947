// Roles and the scopes they grant. A role's scopes are privileges: handing them out passes the
// grant ceiling, any change to a role's privileges the target ceiling, and taking them away the
// last-administrator guard and ends the tokens of the applications holding the role.
import { newId } from "../db/ids.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import type { Prisma, PrismaClient, Role } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { revokeTokensOfApplicationsHoldingRoles } from "./application-tokens.js";
import { diffFields, recordAudit } from "./audit.js";
import { ConflictError } from "./errors.js";
import { assertMayActOn, assertMayGrantScopes, assertMayNameRole, keepingRealmAdministrator } from "./privilege-policy.js";
import { findRolesInRealm, findScopesInRealm } from "./realm-lookups.js";

type Tx = Prisma.TransactionClient;

export type CreateRoleInput = { name: string; description: string | null; scopeIds: string[] };
export type UpdateRoleInput = { id: string; name?: string; description?: string };
export type RoleScopesInput = { roleId: string; scopeIds: string[] };

async function roleInRealm(tx: Tx, id: string, realmId: string): Promise<Role> {
  const [role] = await findRolesInRealm(tx, [id], realmId);
  return role!;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error)) throw new ConflictError(`A role named "${name}" already exists`, "input.name");
  throw error;
}

export async function createRole(prisma: PrismaClient, actor: Actor, input: CreateRoleInput): Promise<Role> {
  const name = input.name.trim();
  assertMayNameRole(null, name);
  return prisma
    .$transaction(async (tx) => {
      const scopes = await findScopesInRealm(tx, input.scopeIds, actor.realmId);
      await assertMayGrantScopes(tx, actor, scopes.map((scope) => scope.id));
      const created = await tx.role.create({
        data: {
          id: newId("role"),
          realmId: actor.realmId,
          name,
          description: input.description,
          scopes: { create: scopes.map((scope) => ({ scopeId: scope.id })) },
        },
      });
      await recordAudit(tx, actor, {
        action: "role.create",
        targetType: "Role",
        targetId: created.id,
        changes: { name: { before: null, after: created.name }, scopes: { before: [], after: scopes.map((scope) => scope.name) } },
      });
      return created;
    })
    .catch((error) => nameTaken(error, input.name));
}

/** Name and description only: a plain roles:write change, except for the built-in role's name. */
export async function updateRole(prisma: PrismaClient, actor: Actor, input: UpdateRoleInput): Promise<Role> {
  const changes = { name: input.name?.trim(), description: input.description };
  return prisma
    .$transaction(async (tx) => {
      const before = await roleInRealm(tx, input.id, actor.realmId);
      assertMayNameRole(before, changes.name);
      const updated = await tx.role.update({ where: { id: before.id }, data: changes });
      await recordAudit(tx, actor, { action: "role.update", targetType: "Role", targetId: before.id, changes: diffFields(before, changes) });
      return updated;
    })
    .catch((error) => nameTaken(error, input.name ?? ""));
}

export async function deleteRole(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const role = await roleInRealm(tx, id, actor.realmId);
    await assertMayActOn(tx, actor, { type: "role", id: role.id });
    await keepingRealmAdministrator(tx, actor.realmId, async () => {
      // Before the delete cascades the ApplicationRole rows that name the holders.
      await revokeTokensOfApplicationsHoldingRoles(tx, [role.id]);
      await tx.role.delete({ where: { id: role.id } });
    });
    await recordAudit(tx, actor, { action: "role.delete", targetType: "Role", targetId: role.id, changes: { name: { before: role.name, after: null } } });
  });
}

export async function assignScopesToRole(prisma: PrismaClient, actor: Actor, input: RoleScopesInput): Promise<Role> {
  return prisma.$transaction(async (tx) => {
    const role = await roleInRealm(tx, input.roleId, actor.realmId);
    const scopes = await findScopesInRealm(tx, input.scopeIds, actor.realmId);
    await assertMayGrantScopes(tx, actor, scopes.map((scope) => scope.id));
    await assertMayActOn(tx, actor, { type: "role", id: role.id });
    await tx.roleScope.createMany({ data: scopes.map((scope) => ({ roleId: role.id, scopeId: scope.id })), skipDuplicates: true });
    await recordAudit(tx, actor, {
      action: "role.scopes.assign",
      targetType: "Role",
      targetId: role.id,
      changes: { scopes: { before: null, after: scopes.map((scope) => scope.name) } },
    });
    return role;
  });
}

export async function removeScopesFromRole(prisma: PrismaClient, actor: Actor, input: RoleScopesInput): Promise<Role> {
  return prisma.$transaction(async (tx) => {
    const role = await roleInRealm(tx, input.roleId, actor.realmId);
    const scopes = await findScopesInRealm(tx, input.scopeIds, actor.realmId);
    await assertMayActOn(tx, actor, { type: "role", id: role.id });
    await keepingRealmAdministrator(tx, actor.realmId, async () => {
      const removed = await tx.roleScope.deleteMany({ where: { roleId: role.id, scopeId: { in: scopes.map((scope) => scope.id) } } });
      if (removed.count > 0) await revokeTokensOfApplicationsHoldingRoles(tx, [role.id]);
    });
    await recordAudit(tx, actor, {
      action: "role.scopes.remove",
      targetType: "Role",
      targetId: role.id,
      changes: { scopes: { before: scopes.map((scope) => scope.name), after: null } },
    });
    return role;
  });
}
