// Tenants (seed 001): create, rename or re-attribute, delete. Deleting a tenant ends its
// memberships and the roles users held inside it (onDelete: Cascade); the audit record counts them.
//
// Those tenant roles are privileges (the policy counts them among what a user holds), so taking
// them away is role removal and passes the target ceiling over each user who held one: whoever may
// not remove a role from a user may not remove it by deleting the tenant either. Mere members lose
// no privilege and are not weighed. No last-administrator guard: tenant roles never count towards
// the realm's administrator (only realm-wide roles reach management tokens).
import { isUniqueViolation } from "../db/unique-violation.js";
import { newId } from "../db/ids.js";
import type { Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { diffFields, recordAudit } from "./audit.js";
import { ConflictError, NotFoundError } from "./errors.js";
import { assertMayActOn } from "./privilege-policy.js";

type Tx = Prisma.TransactionClient;

async function tenantInRealm(tx: Tx, id: string, realmId: string) {
  const tenant = await tx.tenant.findFirst({ where: { id, realmId } });
  if (!tenant) throw new NotFoundError("Tenant", id);
  return tenant;
}

function nameTaken(error: unknown, name: string): never {
  if (isUniqueViolation(error)) throw new ConflictError(`A tenant named "${name}" already exists`, "input.name");
  throw error;
}

export async function createTenant(prisma: PrismaClient, actor: Actor, input: { name: string; customAttributes?: Record<string, unknown> | null }) {
  const name = input.name.trim();
  return prisma
    .$transaction(async (tx) => {
      const tenant = await tx.tenant.create({
        data: { id: newId("tenant"), realmId: actor.realmId, name, customAttributes: (input.customAttributes ?? {}) as Prisma.InputJsonObject },
      });
      await recordAudit(tx, actor, {
        action: "tenant.create",
        targetType: "Tenant",
        targetId: tenant.id,
        changes: { name: { before: null, after: tenant.name } },
      });
      return tenant;
    })
    .catch((error) => nameTaken(error, name));
}

/** Renames the tenant and/or replaces its custom attributes; absent fields stay as they are. */
export async function updateTenant(
  prisma: PrismaClient,
  actor: Actor,
  input: { id: string; name?: string | null; customAttributes?: Record<string, unknown> | null },
) {
  const name = input.name?.trim() ?? undefined;
  return prisma
    .$transaction(async (tx) => {
      const before = await tenantInRealm(tx, input.id, actor.realmId);
      const changes = { name, customAttributes: (input.customAttributes ?? undefined) as Prisma.InputJsonObject | undefined };
      const tenant = await tx.tenant.update({ where: { id: before.id }, data: changes });
      await recordAudit(tx, actor, {
        action: "tenant.update",
        targetType: "Tenant",
        targetId: before.id,
        changes: diffFields(before as unknown as Record<string, unknown>, changes),
      });
      return tenant;
    })
    .catch((error) => nameTaken(error, name ?? ""));
}

/** Deletes the tenant with its memberships and the roles users held inside it. */
export async function deleteTenant(prisma: PrismaClient, actor: Actor, input: { id: string }): Promise<{ deletedId: string }> {
  return prisma.$transaction(async (tx) => {
    const tenant = await tenantInRealm(tx, input.id, actor.realmId);
    const holders = await tx.userRole.findMany({ where: { tenantId: tenant.id }, distinct: ["userId"], select: { userId: true } });
    await assertMayActOn(tx, actor, holders.map((holder) => ({ type: "user" as const, id: holder.userId })));
    const members = await tx.userTenant.count({ where: { tenantId: tenant.id } });
    const roleGrants = await tx.userRole.count({ where: { tenantId: tenant.id } });
    await tx.tenant.delete({ where: { id: tenant.id } });
    await recordAudit(tx, actor, {
      action: "tenant.delete",
      targetType: "Tenant",
      targetId: tenant.id,
      changes: {
        name: { before: tenant.name, after: null },
        members: { before: members, after: 0 },
        roleGrants: { before: roleGrants, after: 0 },
      },
    });
    return { deletedId: tenant.id };
  });
}
