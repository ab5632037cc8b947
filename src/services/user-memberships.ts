// What a user belongs to besides its roles (seed 001): tenant memberships and assigned
// applications. Each change runs in one transaction with its AuditEvent, whose target is the
// user; add and remove are idempotent, set replaces the whole set. Neither carries a scope, so
// they are plain `users:write` changes, except leaving a tenant: it drops the roles the user held
// inside it, a change of privileges under the target ceiling (see ./user-roles.ts).
import type { Prisma, PrismaClient, User } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit } from "./audit.js";
import { findApplicationsInRealm, findTenantsInRealm, findUserInRealm } from "./realm-lookups.js";
import { changeRoles, sortedNames } from "./user-roles.js";

type Tx = Prisma.TransactionClient;

async function tenantNames(tx: Tx, userId: string) {
  const memberships = await tx.userTenant.findMany({ where: { userId }, select: { tenant: { select: { name: true } } } });
  return sortedNames(memberships.map((membership) => membership.tenant.name));
}

export type UserTenant = { userId: string; tenantId: string };

/** Makes the user a member of the tenant (no change when already one). */
export async function addUserTenant(prisma: PrismaClient, actor: Actor, input: UserTenant): Promise<User> {
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, actor.realmId);
    const [tenant] = await findTenantsInRealm(tx, [input.tenantId], actor.realmId);
    const before = await tenantNames(tx, user.id);
    const { count } = await tx.userTenant.createMany({ data: [{ userId: user.id, tenantId: tenant!.id }], skipDuplicates: true });
    await recordAudit(tx, actor, {
      action: "user.tenants.add",
      targetType: "User",
      targetId: user.id,
      changes: count === 0 ? {} : { tenants: { before, after: sortedNames([...before, tenant!.name]) } },
    });
    return user;
  });
}

/** Ends the user's membership of the tenant together with the roles it held inside it. */
export async function removeUserTenant(prisma: PrismaClient, actor: Actor, input: UserTenant): Promise<User> {
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, actor.realmId);
    const [tenant] = await findTenantsInRealm(tx, [input.tenantId], actor.realmId);
    const before = await tenantNames(tx, user.id);
    const changes = await changeRoles(tx, actor, user.id, [], tenant!, "set");
    const { count } = await tx.userTenant.deleteMany({ where: { userId: user.id, tenantId: tenant!.id } });
    if (count > 0) changes.tenants = { before, after: before.filter((name) => name !== tenant!.name) };
    await recordAudit(tx, actor, { action: "user.tenants.remove", targetType: "User", targetId: user.id, changes });
    return user;
  });
}

export type ApplicationChange = "add" | "set" | "remove";

/** addUserApplications, setUserApplications, removeUserApplications. */
export async function changeUserApplications(
  prisma: PrismaClient,
  actor: Actor,
  input: { userId: string; applicationIds: string[]; change: ApplicationChange },
): Promise<User> {
  const { realmId } = actor;
  return prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, input.userId, realmId);
    const applications = await findApplicationsInRealm(tx, input.applicationIds, realmId);
    const assigned = await tx.userApplication.findMany({
      where: { userId: user.id },
      select: { application: { select: { id: true, name: true } } },
    });
    const held = new Map(assigned.map(({ application }) => [application.id, application.name]));
    const wanted = new Set(applications.map((application) => application.id));
    const toAdd = input.change === "remove" ? [] : applications.filter((application) => !held.has(application.id));
    const toRemove = input.change === "add" ? [] : [...held.keys()].filter((id) => (input.change === "set" ? !wanted.has(id) : wanted.has(id)));
    if (toRemove.length > 0) await tx.userApplication.deleteMany({ where: { userId: user.id, applicationId: { in: toRemove } } });
    if (toAdd.length > 0) {
      await tx.userApplication.createMany({
        data: toAdd.map((application) => ({ userId: user.id, applicationId: application.id })),
        skipDuplicates: true,
      });
    }
    const after = new Map(held);
    for (const id of toRemove) after.delete(id);
    for (const application of toAdd) after.set(application.id, application.name);
    await recordAudit(tx, actor, {
      action: `user.applications.${input.change}`,
      targetType: "User",
      targetId: user.id,
      changes:
        toAdd.length + toRemove.length === 0
          ? {}
          : { applications: { before: sortedNames(held.values()), after: sortedNames(after.values()) } },
    });
    return user;
  });
}
