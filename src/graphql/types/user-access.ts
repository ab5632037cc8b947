// What a user may reach (seed 001): roles realm-wide or inside a tenant, tenant memberships and
// assigned applications. Add and remove are idempotent (already held / not held is no change);
// set replaces the whole set. Every mutation runs in one transaction with its AuditEvent, whose
// target is the user.
//
// - Roles need `users:roles`, and the caller may hand out only roles whose management scopes it
//   holds itself (the privilege policy, checked for the roles a mutation adds).
// - A tenant role needs the user to be a member of the tenant already: joining a tenant is a
//   `users:write` change of its own (addUserTenant), not a side effect of granting a role.
// - Leaving a tenant also drops the roles the user held inside it.
import { newId } from "../../db/ids.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { recordAudit } from "../../services/audit.js";
import { ValidationError } from "../../services/errors.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkListSize } from "../input-limits.js";
import { findApplicationsInRealm, findTenantsInRealm, findUserInRealm } from "../../services/realm-lookups.js";
import { changeRoles, sortedNames, type RoleChange } from "../user-writes.js";
import { writeErrors } from "./errors.js";
import { UserPayload } from "./user.js";

type Tx = Prisma.TransactionClient;

const UserRolesInput = builder.inputType("UserRolesInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    roleIds: t.idList({ required: true, description: "At most 100 roles." }),
    tenantId: t.id({ description: "The tenant the roles apply in; realm-wide roles when absent." }),
  }),
});

const UserTenantInput = builder.inputType("UserTenantInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    tenantId: t.id({ required: true }),
  }),
});

const UserApplicationsInput = builder.inputType("UserApplicationsInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    applicationIds: t.idList({ required: true, description: "At most 100 applications." }),
  }),
});


async function changeUserRoles(context: GraphQLContext, input: typeof UserRolesInput.$inferInput, change: RoleChange) {
  checkListSize("input.roleIds", input.roleIds);
  const realmId = realmOf(context);
  return context.prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, String(input.userId), realmId);
    let tenant: { id: string; name: string } | null = null;
    if (input.tenantId !== null && input.tenantId !== undefined) {
      tenant = (await findTenantsInRealm(tx, [String(input.tenantId)], realmId))[0]!;
      const membership = await tx.userTenant.findUnique({ where: { userId_tenantId: { userId: user.id, tenantId: tenant.id } } });
      if (!membership && change !== "remove") {
        throw new ValidationError("input.tenantId", `The user is not a member of tenant ${tenant.id}: add the tenant to the user first`);
      }
    }
    const changes = await changeRoles(tx, context, user.id, input.roleIds.map(String), tenant, change);
    await recordAudit(tx, actorOf(context), { action: `user.roles.${change}`, targetType: "User", targetId: user.id, changes });
    return { user };
  });
}

type ApplicationChange = "add" | "set" | "remove";

async function changeUserApplications(
  context: GraphQLContext,
  input: typeof UserApplicationsInput.$inferInput,
  change: ApplicationChange,
) {
  checkListSize("input.applicationIds", input.applicationIds);
  const realmId = realmOf(context);
  return context.prisma.$transaction(async (tx) => {
    const user = await findUserInRealm(tx, String(input.userId), realmId);
    const applications = await findApplicationsInRealm(tx, input.applicationIds.map(String), realmId);
    const assigned = await tx.userApplication.findMany({
      where: { userId: user.id },
      select: { application: { select: { id: true, name: true } } },
    });
    const held = new Map(assigned.map(({ application }) => [application.id, application.name]));
    const wanted = new Set(applications.map((application) => application.id));
    const toAdd = change === "remove" ? [] : applications.filter((application) => !held.has(application.id));
    const toRemove = change === "add" ? [] : [...held.keys()].filter((id) => (change === "set" ? !wanted.has(id) : wanted.has(id)));
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
    await recordAudit(tx, actorOf(context), {
      action: `user.applications.${change}`,
      targetType: "User",
      targetId: user.id,
      changes:
        toAdd.length + toRemove.length === 0
          ? {}
          : { applications: { before: sortedNames(held.values()), after: sortedNames(after.values()) } },
    });
    return { user };
  });
}

async function tenantNames(tx: Tx, userId: string) {
  const memberships = await tx.userTenant.findMany({ where: { userId }, select: { tenant: { select: { name: true } } } });
  return sortedNames(memberships.map((membership) => membership.tenant.name));
}

builder.mutationFields((t) => ({
  addUserRoles: t.field({
    type: UserPayload,
    description: "Grants roles realm-wide, or inside `tenantId` (the user must be a member). Roles already held stay.",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserRoles(context, input, "add"),
  }),
  setUserRoles: t.field({
    type: UserPayload,
    description: "Replaces the user's realm-wide roles, or those inside `tenantId`, with exactly `roleIds` (empty clears them).",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserRoles(context, input, "set"),
  }),
  removeUserRoles: t.field({
    type: UserPayload,
    description: "Takes roles away realm-wide, or inside `tenantId`. Roles the user does not hold are no change.",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserRoles(context, input, "remove"),
  }),
  addUserTenant: t.field({
    type: UserPayload,
    description: "Makes the user a member of the tenant (no change when already one).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      return context.prisma.$transaction(async (tx) => {
        const user = await findUserInRealm(tx, String(input.userId), realmId);
        const [tenant] = await findTenantsInRealm(tx, [String(input.tenantId)], realmId);
        const before = await tenantNames(tx, user.id);
        const { count } = await tx.userTenant.createMany({ data: [{ userId: user.id, tenantId: tenant!.id }], skipDuplicates: true });
        await recordAudit(tx, actorOf(context), {
          action: "user.tenants.add",
          targetType: "User",
          targetId: user.id,
          changes: count === 0 ? {} : { tenants: { before, after: sortedNames([...before, tenant!.name]) } },
        });
        return { user };
      });
    },
  }),
  removeUserTenant: t.field({
    type: UserPayload,
    description: "Ends the user's membership of the tenant together with the roles held inside it.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      return context.prisma.$transaction(async (tx) => {
        const user = await findUserInRealm(tx, String(input.userId), realmId);
        const [tenant] = await findTenantsInRealm(tx, [String(input.tenantId)], realmId);
        const before = await tenantNames(tx, user.id);
        const changes = await changeRoles(tx, context, user.id, [], tenant!, "set");
        const { count } = await tx.userTenant.deleteMany({ where: { userId: user.id, tenantId: tenant!.id } });
        if (count > 0) changes.tenants = { before, after: before.filter((name) => name !== tenant!.name) };
        await recordAudit(tx, actorOf(context), { action: "user.tenants.remove", targetType: "User", targetId: user.id, changes });
        return { user };
      });
    },
  }),
  addUserApplications: t.field({
    type: UserPayload,
    description: "Assigns applications to the user; ones already assigned stay.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserApplications(context, input, "add"),
  }),
  setUserApplications: t.field({
    type: UserPayload,
    description: "Replaces the user's applications with exactly `applicationIds` (empty clears them).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserApplications(context, input, "set"),
  }),
  removeUserApplications: t.field({
    type: UserPayload,
    description: "Unassigns applications from the user; ones not assigned are no change.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeUserApplications(context, input, "remove"),
  }),
}));
