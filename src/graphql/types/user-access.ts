// What a user may reach (seed 001): roles realm-wide or inside a tenant (services/user-roles.ts),
// tenant memberships and assigned applications (services/user-memberships.ts). Add and remove are
// idempotent (already held / not held is no change); set replaces the whole set.
//
// - Roles need `users:roles`; the caller changes the roles only of a user holding no management
//   scope it lacks, and hands out only roles whose management scopes it holds itself.
// - A tenant role needs the user to be a member of the tenant already: joining a tenant is a
//   `users:write` change of its own (addUserTenant), not a side effect of granting a role.
// - Leaving a tenant also drops the roles the user held inside it.
import { addUserTenant, changeUserApplications, removeUserTenant, type ApplicationChange } from "../../services/user-memberships.js";
import { changeUserRoles, type RoleChange } from "../../services/user-roles.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkListSize } from "../input-limits.js";
import { writeErrors } from "./errors.js";
import { UserPayload } from "./user.js";

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

async function changeRolesOf(context: GraphQLContext, input: typeof UserRolesInput.$inferInput, change: RoleChange) {
  checkListSize("input.roleIds", input.roleIds);
  const tenantId = input.tenantId === null || input.tenantId === undefined ? null : String(input.tenantId);
  const user = await changeUserRoles(context.prisma, actorOf(context), { userId: String(input.userId), roleIds: input.roleIds.map(String), tenantId, change });
  return { user };
}

async function changeApplicationsOf(context: GraphQLContext, input: typeof UserApplicationsInput.$inferInput, change: ApplicationChange) {
  checkListSize("input.applicationIds", input.applicationIds);
  const user = await changeUserApplications(context.prisma, actorOf(context), {
    userId: String(input.userId),
    applicationIds: input.applicationIds.map(String),
    change,
  });
  return { user };
}

const membership = (input: typeof UserTenantInput.$inferInput) => ({ userId: String(input.userId), tenantId: String(input.tenantId) });

builder.mutationFields((t) => ({
  addUserRoles: t.field({
    type: UserPayload,
    description: "Grants roles realm-wide, or inside `tenantId` (the user must be a member). Roles already held stay.",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeRolesOf(context, input, "add"),
  }),
  setUserRoles: t.field({
    type: UserPayload,
    description: "Replaces the user's realm-wide roles, or those inside `tenantId`, with exactly `roleIds` (empty clears them).",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeRolesOf(context, input, "set"),
  }),
  removeUserRoles: t.field({
    type: UserPayload,
    description: "Takes roles away realm-wide, or inside `tenantId`. Roles the user does not hold are no change.",
    authScopes: { scope: "users:roles" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserRolesInput, required: true }) },
    resolve: (_root, { input }, context) => changeRolesOf(context, input, "remove"),
  }),
  addUserTenant: t.field({
    type: UserPayload,
    description: "Makes the user a member of the tenant (no change when already one).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await addUserTenant(context.prisma, actorOf(context), membership(input)) }),
  }),
  removeUserTenant: t.field({
    type: UserPayload,
    description: "Ends the user's membership of the tenant together with the roles held inside it.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserTenantInput, required: true }) },
    resolve: async (_root, { input }, context) => ({ user: await removeUserTenant(context.prisma, actorOf(context), membership(input)) }),
  }),
  addUserApplications: t.field({
    type: UserPayload,
    description: "Assigns applications to the user; ones already assigned stay.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeApplicationsOf(context, input, "add"),
  }),
  setUserApplications: t.field({
    type: UserPayload,
    description: "Replaces the user's applications with exactly `applicationIds` (empty clears them).",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeApplicationsOf(context, input, "set"),
  }),
  removeUserApplications: t.field({
    type: UserPayload,
    description: "Unassigns applications from the user; ones not assigned are no change.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UserApplicationsInput, required: true }) },
    resolve: (_root, { input }, context) => changeApplicationsOf(context, input, "remove"),
  }),
}));
