// The transaction every change to one existing user shares: the row is held while the change is
// computed from it, the privilege policy weighs what the change touches, sessions end when the
// change must end them, and one AuditEvent records it. A user of another realm is reported as
// not found; a taken email or login id as a ConflictError naming the field, also when a concurrent
// request won the race (the unique index decides, then we look up which value collided).
import { isUniqueViolation } from "../db/unique-violation.js";
import type { Prisma, PrismaClient, User, UserStatus } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { diffFields, recordAudit, type FieldChanges } from "./audit.js";
import { ConflictError } from "./errors.js";
import { assertMayActOn, keepingRealmAdministrator } from "./privilege-policy.js";
import { findUserInRealm } from "./realm-lookups.js";
import { revokeUserSessions } from "./sessions.js";
import type { Profile } from "./user-profile.js";

type Tx = Prisma.TransactionClient;

export type UserChange = Partial<Profile> & {
  status?: UserStatus;
  passwordHash?: string | null;
  passwordExpired?: boolean;
  passwordTemporary?: boolean;
  passwordChangedAt?: Date | null;
};

/** Statuses that end the user's sessions when entered. */
const blockingStatuses: ReadonlySet<UserStatus> = new Set(["suspended", "inactive"]);

/** Values a caller changes only on a user holding no management scope it lacks: what signs in as the user, and whether it may. */
const guardedFields = ["email", "username", "status"] as const satisfies ReadonlyArray<keyof UserChange>;

/** A new, removed or expired password: a credential change, which ends the user's sessions. */
function changesCredentials(data: UserChange): boolean {
  return data.passwordHash !== undefined || data.passwordExpired === true;
}

function changesGuardedValue(before: User, data: UserChange): boolean {
  return changesCredentials(data) || guardedFields.some((field) => data[field] !== undefined && data[field] !== before[field]);
}

/** Turns a unique violation on email or username into a ConflictError naming the input field. */
export async function identifierConflict(
  error: unknown,
  prisma: PrismaClient,
  realmId: string,
  values: { email?: string | null; username?: string | null },
  path: string,
  exceptId?: string,
): Promise<never> {
  if (!isUniqueViolation(error)) throw error;
  const others = exceptId ? { NOT: { id: exceptId } } : {};
  const taken = async (where: Prisma.UserWhereInput) => (await prisma.user.count({ where: { realmId, ...others, ...where } })) > 0;
  if (values.email && (await taken({ email: values.email }))) {
    throw new ConflictError(`A user with the email address "${values.email}" already exists`, `${path}.email`);
  }
  if (values.username && (await taken({ username: values.username }))) {
    throw new ConflictError(`A user with the login id "${values.username}" already exists`, `${path}.username`);
  }
  // The colliding row is gone again (deleted meanwhile): still a conflict of what was sent.
  throw new ConflictError("The user collides with another one", `${path}.${values.email ? "email" : "username"}`);
}

export type UserChangeOptions = {
  /** Writes more of the same change in its transaction (an updateUser's roles); returns what it changed for the one audit event. */
  alsoChange?: (tx: Tx, user: User) => Promise<FieldChanges>;
  /** The change may take management scopes away (roles replaced, a status other than active): it must leave the realm an administrator. */
  mayDemote?: boolean;
};

/**
 * Changes one user of the actor's realm: `change` sees the row as it is inside the transaction
 * and returns the new values (or throws a ValidationError, which rolls everything back). A change
 * of the password, email, login id or status needs the target ceiling; a credential change or a
 * blocking status ends the user's sessions, which the audit event records as `activeSessions`.
 */
export async function changeUser(
  prisma: PrismaClient,
  actor: Actor,
  id: string,
  action: string,
  change: (before: User) => UserChange,
  options: UserChangeOptions = {},
): Promise<User> {
  let attempted: UserChange = {};
  const write = async (tx: Tx) => {
    // `change` computes from `before`: hold the row so that concurrent changes apply one after the other.
    await tx.$executeRaw`SELECT 1 FROM "User" WHERE id = ${id} AND "realmId" = ${actor.realmId} FOR UPDATE`;
    const before = await findUserInRealm(tx, id, actor.realmId);
    const data = change(before);
    attempted = data;
    if (changesGuardedValue(before, data)) await assertMayActOn(tx, actor, { type: "user", id: before.id });
    const { passwordHash, passwordChangedAt, ...visible } = data;
    const changes = diffFields(before as unknown as Record<string, unknown>, visible);
    if (passwordHash !== undefined) changes.password = { before: null, after: null }; // recordAudit redacts it
    const blocks = data.status !== undefined && blockingStatuses.has(data.status) && !blockingStatuses.has(before.status);
    if (blocks || changesCredentials(data)) {
      const revoked = (await revokeUserSessions(tx, before.id)).length;
      if (revoked > 0) changes.activeSessions = { before: revoked, after: 0 };
    }
    const updated = await tx.user.update({ where: { id: before.id }, data });
    if (options.alsoChange) Object.assign(changes, await options.alsoChange(tx, updated));
    await recordAudit(tx, actor, { action, targetType: "User", targetId: before.id, changes });
    return updated;
  };
  return prisma
    .$transaction((tx) => (options.mayDemote ? keepingRealmAdministrator(tx, actor.realmId, () => write(tx)) : write(tx)))
    .catch((error) => identifierConflict(error, prisma, actor.realmId, attempted, "input", id));
}
