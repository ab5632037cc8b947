// A user's roles, realm-wide or inside a tenant: add, replace or remove, in one transaction with
// its AuditEvent (target: the user). Adding and removing are idempotent (held / not held is no
// change). The privilege policy weighs every change:
// - target ceiling: only a caller holding every management scope the user holds (tenant roles
//   included) changes its roles, so `users:roles` cannot demote an administrator;
// - grant ceiling: only roles whose management scopes the caller holds are given;
// - realm-wide roles replaced or removed must leave the realm an administrator (tenant roles do
//   not count towards one: tokens carry realm-wide roles only).
// A tenant role needs the user to be a member of the tenant already: joining a tenant is a
// `users:write` change of its own, not a side effect of granting a role.
import { newId } from "../db/ids.js";
import type { Prisma, PrismaClient, User } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit, type FieldChanges } from "./audit.js";
import { ValidationError } from "./errors.js";
import { assertMayActOn, assertMayGrantRoles, keepingRealmAdministrator } from "./privilege-policy.js";
import { findRolesInRealm, findTenantsInRealm, findUserInRealm } from "./realm-lookups.js";

type Tx = Prisma.TransactionClient;

export type RoleChange = "add" | "set" | "remove";

/** Names as the audit log records a set of them: sorted, so before and after compare at a glance. */
export const sortedNames = (names: Iterable<string>) => [...names].sort();

/** The user's roles in one place (a tenant, or realm-wide for null), by role id. */
async function heldRoles(tx: Tx, userId: string, tenantId: string | null) {
  const grants = await tx.userRole.findMany({ where: { userId, tenantId }, select: { role: { select: { id: true, name: true } } } });
  return new Map(grants.map((grant) => [grant.role.id, grant.role.name]));
}

/**
 * Adds, replaces or removes the user's roles realm-wide or inside `tenant` (membership checked by
 * the caller) under the target and grant ceilings; returns the change for the audit event.
 */
export async function changeRoles(
  tx: Tx,
  actor: Actor,
  userId: string,
  roleIds: string[],
  tenant: { id: string; name: string } | null,
  change: RoleChange,
): Promise<FieldChanges> {
  await assertMayActOn(tx, actor, { type: "user", id: userId });
  const roles = await findRolesInRealm(tx, roleIds, actor.realmId);
  const tenantId = tenant?.id ?? null;
  const held = await heldRoles(tx, userId, tenantId);
  const wanted = new Set(roles.map((role) => role.id));
  const toAdd = change === "remove" ? [] : roles.filter((role) => !held.has(role.id));
  const toRemove = change === "add" ? [] : [...held.keys()].filter((id) => (change === "set" ? !wanted.has(id) : wanted.has(id)));
  await assertMayGrantRoles(tx, actor, toAdd.map((role) => role.id));
  if (toRemove.length > 0) await tx.userRole.deleteMany({ where: { userId, tenantId, roleId: { in: toRemove } } });
  if (toAdd.length > 0) {
    await tx.userRole.createMany({
      data: toAdd.map((role) => ({ id: newId("userRole"), userId, roleId: role.id, tenantId })),
      skipDuplicates: true,
    });
  }
  if (toAdd.length + toRemove.length === 0) return {};
  const after = new Map(held);
  for (const id of toRemove) after.delete(id);
  for (const role of toAdd) after.set(role.id, role.name);
  return { [tenant ? `tenants.${tenant.id}.roles` : "roles"]: { before: sortedNames(held.values()), after: sortedNames(after.values()) } };
}

export type UserRolesChange = { userId: string; roleIds: string[]; tenantId: string | null; change: RoleChange };

/** addUserRoles, setUserRoles, removeUserRoles: realm-wide, or inside a tenant the user is a member of. */
export async function changeUserRoles(prisma: PrismaClient, actor: Actor, input: UserRolesChange): Promise<User> {
  const { realmId } = actor;
  return prisma.$transaction(async (tx) => {
    const write = async () => {
      const user = await findUserInRealm(tx, input.userId, realmId);
      let tenant: { id: string; name: string } | null = null;
      if (input.tenantId !== null) {
        tenant = (await findTenantsInRealm(tx, [input.tenantId], realmId))[0]!;
        const membership = await tx.userTenant.findUnique({ where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } } });
        if (!membership && input.change !== "remove") {
          throw new ValidationError("input.tenantId", `The user is not a member of tenant ${tenant.id}: add the tenant to the user first`);
        }
      }
      const changes = await changeRoles(tx, actor, user.id, input.roleIds, tenant, input.change);
      await recordAudit(tx, actor, { action: `user.roles.${input.change}`, targetType: "User", targetId: user.id, changes });
      return user;
    };
    const demotes = input.tenantId === null && input.change !== "add";
    return demotes ? keepingRealmAdministrator(tx, realmId, write) : write();
  });
}
