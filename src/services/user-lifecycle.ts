// A user's life (seed 001): creation (one or a batch), update, full replacement, status and
// deletion (one or a batch). Input arrives validated and normalised; each write runs in one
// transaction with its AuditEvent.
//
// - Creating with roles needs `users:roles` and only hands out roles whose management scopes the
//   caller holds (grant ceiling); a batch asks both once for all its rows, then writes each row in
//   a transaction of its own, so that a bad row never blocks the others.
// - Suspending, deactivating or deleting a user, or replacing its roles, needs the target ceiling
//   and must leave the realm an administrator; so do email, login id and password changes through
//   updateUser and replaceUser (./user-changes.ts). A deleteUsers batch is refused as a whole
//   when any of its users is beyond the caller, with one policy read for all of them.
import { newId } from "../db/ids.js";
import type { Prisma, PrismaClient, User, UserStatus } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { recordAudit, type FieldChanges } from "./audit.js";
import { DomainError, ForbiddenError } from "./errors.js";
import { checkJsonSize, mergeFirstLevel } from "./json-objects.js";
import { hashPassword, passwordPolicyViolation } from "./passwords.js";
import { assertMayActOn, assertMayGrantRoles, keepingRealmAdministrator, requireScopes } from "./privilege-policy.js";
import { findRolesInRealm, findTenantsInRealm, findUserInRealm } from "./realm-lookups.js";
import { changeUser, identifierConflict, type UserChange } from "./user-changes.js";
import { newPassword } from "./user-credentials.js";
import { checkHasIdentifier, profileFields, resetVerification, type Profile } from "./user-profile.js";
import { changeRoles } from "./user-roles.js";

type Tx = Prisma.TransactionClient;

export type NewUser = {
  profile: Profile;
  status: UserStatus;
  connection: string;
  /** Already checked against the password policy; hashed here. */
  password: string | null;
  roleIds: string[];
  tenantIds: string[];
};

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
  if (user.password !== null) changes.password = { before: null, after: null }; // recordAudit redacts it
  if (roles.length > 0) changes.roles = { before: [], after: roles.map((role) => role.name) };
  if (tenants.length > 0) changes.tenants = { before: [], after: tenants.map((tenant) => tenant.name) };
  return changes;
}

/**
 * Writes one new user with its roles, memberships and audit event. A batch weighs its grants once
 * for all rows beforehand (`grantsWeighed`); a single creation weighs them in its own transaction.
 */
async function insertUser(
  prisma: PrismaClient,
  actor: Actor,
  user: NewUser,
  options: { passwordHash: string | null; path: string; grantsWeighed: boolean },
): Promise<User> {
  const { realmId } = actor;
  const { passwordHash, path } = options;
  return prisma
    .$transaction(async (tx) => {
      const roles = user.roleIds.length > 0 ? await findRolesInRealm(tx, user.roleIds, realmId) : [];
      if (!options.grantsWeighed) await assertMayGrantRoles(tx, actor, roles.map((role) => role.id));
      const tenants = user.tenantIds.length > 0 ? await findTenantsInRealm(tx, user.tenantIds, realmId) : [];
      const created = await tx.user.create({
        data: {
          id: newId("user"),
          realmId,
          ...user.profile,
          status: user.status,
          connection: user.connection,
          passwordHash,
          passwordChangedAt: passwordHash ? new Date() : null,
          roles: { create: roles.map((role) => ({ id: newId("userRole"), roleId: role.id })) },
          tenants: { create: tenants.map((tenant) => ({ tenantId: tenant.id })) },
        },
      });
      await recordAudit(tx, actor, { action: "user.create", targetType: "User", targetId: created.id, changes: creationChanges(user, roles, tenants) });
      return created;
    })
    .catch((error) => identifierConflict(error, prisma, realmId, user.profile, path));
}

export async function createUser(prisma: PrismaClient, actor: Actor, user: NewUser): Promise<User> {
  if (user.roleIds.length > 0) requireScopes(actor, ["users:roles"], "Giving a user roles");
  const passwordHash = user.password === null ? null : await hashPassword(user.password);
  return insertUser(prisma, actor, user, { passwordHash, path: "input", grantsWeighed: false });
}

/** A row of createUsers: its input path (`input.users.N`) names the fields of its errors. */
export type NewUserRow = { path: string; user: NewUser };

/**
 * Creates each row in a transaction of its own, in order (of two rows with the same email the
 * first wins); returns, per row, the user or the expected failure that kept it out. Roles given by
 * any row are weighed once, before anything is written: a refusal refuses the whole batch.
 */
export async function createUsers(prisma: PrismaClient, actor: Actor, rows: NewUserRow[]): Promise<Array<User | DomainError>> {
  const roleIds = [...new Set(rows.flatMap((row) => row.user.roleIds))];
  if (roleIds.length > 0) {
    requireScopes(actor, ["users:roles"], "Giving users roles");
    const roles = await prisma.role.findMany({ where: { id: { in: roleIds }, realmId: actor.realmId }, select: { id: true } });
    await assertMayGrantRoles(prisma, actor, roles.map((role) => role.id));
  }
  // Hash every row's password up front; hashPassword queues for its own slots.
  const hashes = await Promise.all(rows.map((row) => (row.user.password === null ? null : hashPassword(row.user.password))));
  const results: Array<User | DomainError> = [];
  for (const [index, row] of rows.entries()) {
    try {
      results.push(await insertUser(prisma, actor, row.user, { passwordHash: hashes[index] ?? null, path: row.path, grantsWeighed: true }));
    } catch (error) {
      if (!(error instanceof DomainError) || error instanceof ForbiddenError) throw error;
      results.push(error);
    }
  }
  return results;
}

export type UserUpdate = {
  id: string;
  /** The profile fields given (null already turned into the field's empty value). */
  profile: Partial<Profile>;
  /** Keys merged into the stored metadata, applied to the row as it is when the write runs. */
  merges: Partial<Record<"userMetadata" | "appMetadata", Record<string, unknown>>>;
  status?: UserStatus;
  /** A new active password, or null to remove it; absent keeps it. */
  password?: string | null;
  /** Replaces the realm-wide roles with exactly these. */
  roleIds?: string[];
};

/** updateUser: only the fields given change; roles given are replaced in the same transaction. */
export async function updateUser(prisma: PrismaClient, actor: Actor, update: UserUpdate): Promise<User> {
  const { id, roleIds } = update;
  if (roleIds) requireScopes(actor, ["users:roles"], "Giving a user roles");
  let password: UserChange = {};
  if (update.password === null) {
    password = { passwordHash: null, passwordExpired: false, passwordTemporary: false, passwordChangedAt: null };
  } else if (update.password !== undefined) {
    const current = await findUserInRealm(prisma, id, actor.realmId);
    password = await newPassword(update.password, { ...current, ...update.profile }, false);
  }
  const profileChange = (before: User): UserChange => {
    const data: UserChange = { ...update.profile, ...password };
    for (const [field, patch] of Object.entries(update.merges) as Array<[keyof UserUpdate["merges"], Record<string, unknown>]>) {
      const merged = mergeFirstLevel(before[field], patch);
      checkJsonSize(`input.${field}`, merged);
      data[field] = merged as Prisma.InputJsonObject;
    }
    resetVerification(before, data);
    checkHasIdentifier({ ...before, ...data }, "input");
    if (typeof update.password === "string") {
      const violation = passwordPolicyViolation(update.password, { ...before, ...data });
      if (violation) throw violation;
    }
    if (update.status) data.status = update.status;
    return data;
  };
  return changeUser(prisma, actor, id, "user.update", profileChange, {
    alsoChange: roleIds && ((tx: Tx, user: User) => changeRoles(tx, actor, user.id, roleIds, null, "set")),
    mayDemote: roleIds !== undefined || (update.status !== undefined && update.status !== "active"),
  });
}

/** replaceUser: every profile field overwritten (seed 001 Update User); status, password, roles and tenants kept. */
export function replaceUser(prisma: PrismaClient, actor: Actor, input: { id: string; profile: Profile }): Promise<User> {
  return changeUser(prisma, actor, input.id, "user.replace", () => input.profile);
}

/** Activates, invites, suspends or deactivates the user; suspension and deactivation end its sessions. */
export function setUserStatus(prisma: PrismaClient, actor: Actor, input: { id: string; status: UserStatus }): Promise<User> {
  return changeUser(prisma, actor, input.id, "user.status.update", () => ({ status: input.status }), { mayDemote: input.status !== "active" });
}

/**
 * Deletes users of the actor's realm, one audit event each; their sessions, roles, memberships,
 * identities, passkeys and login history go with them (onDelete: Cascade).
 */
async function removeUsers(tx: Tx, actor: Actor, users: Array<Pick<User, "id" | "email" | "username">>): Promise<void> {
  await assertMayActOn(tx, actor, users.map((user) => ({ type: "user" as const, id: user.id })));
  await tx.user.deleteMany({ where: { id: { in: users.map((user) => user.id) }, realmId: actor.realmId } });
  for (const user of users) {
    await recordAudit(tx, actor, {
      action: "user.delete",
      targetType: "User",
      targetId: user.id,
      changes: { email: { before: user.email, after: null }, username: { before: user.username, after: null } },
    });
  }
}

export async function deleteUser(prisma: PrismaClient, actor: Actor, input: { id: string }): Promise<void> {
  await prisma.$transaction((tx) =>
    keepingRealmAdministrator(tx, actor.realmId, async () => removeUsers(tx, actor, [await findUserInRealm(tx, input.id, actor.realmId)])),
  );
}

/** Deletes the users of these ids found in the actor's realm, all or none; returns the ids deleted. */
export async function deleteUsers(prisma: PrismaClient, actor: Actor, input: { ids: string[] }): Promise<Set<string>> {
  return prisma.$transaction(
    (tx) =>
      keepingRealmAdministrator(tx, actor.realmId, async () => {
        const users = await tx.user.findMany({
          where: { id: { in: [...new Set(input.ids)] }, realmId: actor.realmId },
          select: { id: true, email: true, username: true },
          orderBy: { id: "asc" },
        });
        await removeUsers(tx, actor, users);
        return new Set(users.map((user) => user.id));
      }),
    { timeout: 60_000 },
  );
}
