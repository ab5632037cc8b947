// The transactions the user mutations share. Each runs its writes and its AuditEvent in one
// transaction of the caller's realm; a user of another realm is reported as not found, and a
// taken email or login id as a ConflictError naming the field, also when a concurrent request
// won the race (the unique index decides, then we look up which value collided).
import { newId } from "../db/ids.js";
import { isUniqueViolation } from "../db/unique-violation.js";
import type { Prisma, User, UserStatus } from "../generated/prisma/client.js";
import { diffFields, recordAudit, type FieldChanges } from "../services/audit.js";
import { ConflictError } from "../services/errors.js";
import { revokeUserSessions } from "../services/sessions.js";
import { actorOf, realmOf } from "./actor.js";
import type { GraphQLContext } from "./context.js";
import { assertMayGrantRoles } from "../services/privilege-policy.js";
import { findRolesInRealm, findTenantsInRealm, findUserInRealm } from "../services/realm-lookups.js";
import { profileFields, type Profile } from "./user-input.js";

type Tx = Prisma.TransactionClient;

export type NewUser = {
  profile: Profile;
  status: UserStatus;
  connection: string;
  passwordHash: string | null;
  roleIds: string[];
  tenantIds: string[];
};

/** Statuses that end the user's sessions when entered. */
const blockingStatuses: ReadonlySet<UserStatus> = new Set(["suspended", "inactive"]);

/** Turns a unique violation on email or username into a ConflictError naming the input field. */
async function identifierConflict(
  error: unknown,
  context: GraphQLContext,
  values: { email?: string | null; username?: string | null },
  path: string,
  exceptId?: string,
): Promise<never> {
  if (!isUniqueViolation(error)) throw error;
  const realmId = realmOf(context);
  const others = exceptId ? { NOT: { id: exceptId } } : {};
  const taken = async (where: Prisma.UserWhereInput) =>
    (await context.prisma.user.count({ where: { realmId, ...others, ...where } })) > 0;
  if (values.email && (await taken({ email: values.email }))) {
    throw new ConflictError(`A user with the email address "${values.email}" already exists`, `${path}.email`);
  }
  if (values.username && (await taken({ username: values.username }))) {
    throw new ConflictError(`A user with the login id "${values.username}" already exists`, `${path}.username`);
  }
  // The colliding row is gone again (deleted meanwhile): still a conflict of what was sent.
  throw new ConflictError("The user collides with another one", `${path}.${values.email ? "email" : "username"}`);
}

/** Audit changes of a new user: every field that is not empty, and the password as a fact. */
function creationChanges(user: NewUser, roles: { name: string }[], tenants: { name: string }[]): FieldChanges {
  const changes: FieldChanges = {};
  for (const field of profileFields) {
    const value = user.profile[field];
    const empty = value === null || value === false || (typeof value === "object" && Object.keys(value).length === 0);
    if (!empty) changes[field] = { before: null, after: value };
  }
  changes.status = { before: null, after: user.status };
  changes.connection = { before: null, after: user.connection };
  if (user.passwordHash) changes.password = { before: null, after: null }; // recordAudit redacts it
  if (roles.length > 0) changes.roles = { before: [], after: roles.map((role) => role.name) };
  if (tenants.length > 0) changes.tenants = { before: [], after: tenants.map((tenant) => tenant.name) };
  return changes;
}

/** Creates one user with its realm-wide roles and tenant memberships. */
export async function insertUser(context: GraphQLContext, user: NewUser, path: string): Promise<User> {
  const realmId = realmOf(context);
  return context.prisma
    .$transaction(async (tx) => {
      const roles = user.roleIds.length > 0 ? await findRolesInRealm(tx, user.roleIds, realmId) : [];
      await assertMayGrantRoles(tx, actorOf(context), roles.map((role) => role.id));
      const tenants = user.tenantIds.length > 0 ? await findTenantsInRealm(tx, user.tenantIds, realmId) : [];
      const created = await tx.user.create({
        data: {
          id: newId("user"),
          realmId,
          ...user.profile,
          status: user.status,
          connection: user.connection,
          passwordHash: user.passwordHash,
          passwordChangedAt: user.passwordHash ? new Date() : null,
          roles: { create: roles.map((role) => ({ id: newId("userRole"), roleId: role.id })) },
          tenants: { create: tenants.map((tenant) => ({ tenantId: tenant.id })) },
        },
      });
      await recordAudit(tx, actorOf(context), {
        action: "user.create",
        targetType: "User",
        targetId: created.id,
        changes: creationChanges(user, roles, tenants),
      });
      return created;
    })
    .catch((error) => identifierConflict(error, context, user.profile, path));
}

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
 * the caller); returns the change for the audit event. The caller may hand out only roles whose
 * management scopes it holds itself.
 */
export async function changeRoles(
  tx: Tx,
  context: GraphQLContext,
  userId: string,
  roleIds: string[],
  tenant: { id: string; name: string } | null,
  change: RoleChange,
): Promise<FieldChanges> {
  const roles = await findRolesInRealm(tx, roleIds, realmOf(context));
  const tenantId = tenant?.id ?? null;
  const held = await heldRoles(tx, userId, tenantId);
  const wanted = new Set(roles.map((role) => role.id));
  const toAdd = change === "remove" ? [] : roles.filter((role) => !held.has(role.id));
  const toRemove = change === "add" ? [] : [...held.keys()].filter((id) => (change === "set" ? !wanted.has(id) : wanted.has(id)));
  await assertMayGrantRoles(tx, actorOf(context), toAdd.map((role) => role.id));
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

export type UserChange = Partial<Profile> & {
  status?: UserStatus;
  passwordHash?: string | null;
  passwordExpired?: boolean;
  passwordTemporary?: boolean;
  passwordChangedAt?: Date | null;
};

/**
 * Changes one user of the caller's realm: `change` sees the row as it is inside the transaction
 * and returns the new values (or throws a ValidationError, which rolls everything back).
 * `alsoChange` writes more of the same change in the same transaction (an updateUser's roles)
 * and returns what it changed for the one audit event.
 */
export async function changeUser(
  context: GraphQLContext,
  id: string,
  action: string,
  change: (before: User) => UserChange,
  alsoChange?: (tx: Tx, user: User) => Promise<FieldChanges>,
): Promise<User> {
  const path = "input";
  const realmId = realmOf(context);
  let attempted: UserChange = {};
  return context.prisma
    .$transaction(async (tx) => {
      // `change` computes from `before`: hold the row so that concurrent changes apply one after the other.
      await tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${id} AND "realmId" = ${realmId} FOR UPDATE`;
      const before = await findUserInRealm(tx, id, realmId);
      const data = change(before);
      attempted = data;
      const { passwordHash, passwordChangedAt, ...visible } = data;
      const changes = diffFields(before as unknown as Record<string, unknown>, visible);
      if (passwordHash !== undefined) changes.password = { before: null, after: null }; // recordAudit redacts it
      if (data.status && blockingStatuses.has(data.status) && !blockingStatuses.has(before.status)) {
        const revoked = (await revokeUserSessions(tx, before.id)).length;
        if (revoked > 0) changes.activeSessions = { before: revoked, after: 0 };
      }
      const updated = await tx.user.update({ where: { id: before.id }, data });
      if (alsoChange) Object.assign(changes, await alsoChange(tx, updated));
      await recordAudit(tx, actorOf(context), { action, targetType: "User", targetId: before.id, changes });
      return updated;
    })
    .catch((error) => identifierConflict(error, context, attempted, path, id));
}

/**
 * Deletes users of the caller's realm, one audit event each; their sessions, roles, memberships,
 * identities, passkeys and login history go with them (onDelete: Cascade).
 */
export async function removeUsers(tx: Tx, context: GraphQLContext, users: Array<Pick<User, "id" | "email" | "username">>): Promise<void> {
  await tx.user.deleteMany({ where: { id: { in: users.map((user) => user.id) }, realmId: realmOf(context) } });
  for (const user of users) {
    await recordAudit(tx, actorOf(context), {
      action: "user.delete",
      targetType: "User",
      targetId: user.id,
      changes: { email: { before: user.email, after: null }, username: { before: user.username, after: null } },
    });
  }
}
