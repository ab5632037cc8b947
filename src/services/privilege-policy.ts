// The privilege policy: what an actor may do to a principal, whatever road the write takes
// (GraphQL, every REST profile, the CLI). Every service that gives out or takes away management
// scopes, or touches a principal's credentials, asks here inside its own transaction.
//
// - Grant ceiling: nobody gives a role, application, user, key or token a management scope the
//   actor's own credential does not carry (else `applications:write` mints an admin client).
// - Target ceiling: an actor changes a principal's credentials, identifiers or privileges only
//   when every management scope that principal holds is one the actor holds too (else
//   `users:write` resets an administrator's password and signs in as them).
// - The realm keeps an administrator: no write leaves it without a principal holding every
//   management scope, checked under a per-realm lock so that two concurrent demotions cannot each
//   see the other's victim as the survivor.
// - The management API resource and its scopes are read-only through the API, and so is the name
//   of the built-in administrator role (start-up finds that role by its name).
//
// Only management scopes count: they are what management tokens carry and what this API guards.
// Scopes of a realm's own APIs are given out by whoever holds `roles:write`, which is their purpose.
import { Prisma } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { ForbiddenError } from "./errors.js";
import { managementAdminRoleName } from "./management-api.js";

type Tx = Prisma.TransactionClient;

/** A principal whose scopes the policy weighs: anything that can carry or hand on management scopes. */
export type PrincipalRef =
  | { type: "user"; id: string }
  | { type: "application"; id: string }
  | { type: "role"; id: string }
  | { type: "managementKey"; id: string };

const isManagementScope = { resource: { isManagement: true } } as const;

function missingFrom(actor: Actor, scopes: Iterable<string>): string[] {
  return [...new Set(scopes)].filter((scope) => !actor.scopes.has(scope)).sort();
}

/** A rule of the operation itself, e.g. creating users with roles also needs `users:roles`. */
export function requireScopes(actor: Actor, scopes: string[], action: string): void {
  const missing = missingFrom(actor, scopes);
  if (missing.length > 0) throw new ForbiddenError(`${action} also needs ${missing.join(", ")}`, missing);
}

/**
 * The actor administers its own realm: its credential carries every management scope there. For
 * operations that mint an administrator without naming the scopes it gets (creating a realm).
 */
export async function assertHoldsEveryManagementScope(tx: Tx, actor: Actor, action: string): Promise<void> {
  const scopes = await tx.scope.findMany({ where: { realmId: actor.realmId, ...isManagementScope }, select: { name: true } });
  requireScopes(actor, scopes.map((scope) => scope.name), action);
}

/** Grant ceiling over scope names: the actor holds every one it hands out. */
export function assertMayGrantScopeNames(actor: Actor, scopes: Iterable<string>): void {
  const missing = missingFrom(actor, scopes);
  if (missing.length > 0) {
    throw new ForbiddenError(`Only a caller holding ${missing.join(", ")} may grant ${missing.length === 1 ? "it" : "them"}`, missing);
  }
}

/** Grant ceiling over scope ids (attaching scopes to a role): management scopes among them. */
export async function assertMayGrantScopes(tx: Tx, actor: Actor, scopeIds: string[]): Promise<void> {
  if (scopeIds.length === 0) return;
  const scopes = await tx.scope.findMany({ where: { id: { in: scopeIds }, ...isManagementScope }, select: { name: true } });
  assertMayGrantScopeNames(actor, scopes.map((scope) => scope.name));
}

/** Grant ceiling over roles (giving roles to users or applications): the management scopes they hold. */
export async function assertMayGrantRoles(tx: Tx, actor: Actor, roleIds: string[]): Promise<void> {
  if (roleIds.length === 0) return;
  assertMayGrantScopeNames(actor, await managementScopesOfRoles(tx, roleIds));
}

async function managementScopesOfRoles(tx: Tx, roleIds: string[]): Promise<string[]> {
  const scopes = await tx.scope.findMany({
    where: { ...isManagementScope, roles: { some: { roleId: { in: roleIds } } } },
    select: { name: true },
  });
  return scopes.map((scope) => scope.name);
}

/**
 * The management scopes each principal holds, by id: a user's and an application's through
 * their roles (a user's tenant roles included: they are privileges too), a role's own, a key's.
 */
async function managementScopesOf(tx: Tx, principals: PrincipalRef[]): Promise<Map<string, Set<string>>> {
  const held = new Map<string, Set<string>>(principals.map((principal) => [principal.id, new Set<string>()]));
  const add = (id: string, scopes: Iterable<string>) => {
    const set = held.get(id)!;
    for (const scope of scopes) set.add(scope);
  };
  const idsOf = (type: PrincipalRef["type"]) => principals.filter((principal) => principal.type === type).map((principal) => principal.id);
  const scopeNames = { scopes: { where: { scope: isManagementScope }, select: { scope: { select: { name: true } } } } } as const;
  const namesOf = (role: { scopes: Array<{ scope: { name: string } }> }) => role.scopes.map((grant) => grant.scope.name);

  const [userIds, applicationIds, roleIds, keyIds] = [idsOf("user"), idsOf("application"), idsOf("role"), idsOf("managementKey")];
  await Promise.all([
    userIds.length > 0 &&
      tx.userRole
        .findMany({ where: { userId: { in: userIds } }, select: { userId: true, role: { select: scopeNames } } })
        .then((grants) => grants.forEach((grant) => add(grant.userId, namesOf(grant.role)))),
    applicationIds.length > 0 &&
      tx.applicationRole
        .findMany({ where: { applicationId: { in: applicationIds } }, select: { applicationId: true, role: { select: scopeNames } } })
        .then((grants) => grants.forEach((grant) => add(grant.applicationId, namesOf(grant.role)))),
    roleIds.length > 0 &&
      tx.role
        .findMany({ where: { id: { in: roleIds } }, select: { id: true, ...scopeNames } })
        .then((roles) => roles.forEach((role) => add(role.id, namesOf(role)))),
    keyIds.length > 0 &&
      tx.managementKey
        .findMany({ where: { id: { in: keyIds } }, select: { id: true, scopes: true } })
        .then((keys) => keys.forEach((key) => add(key.id, key.scopes))),
  ]);
  return held;
}

const principalNoun: Record<PrincipalRef["type"], string> = {
  user: "user",
  application: "application",
  role: "role",
  managementKey: "management key",
};

/**
 * Target ceiling: the actor may change these principals' credentials, identifiers or privileges
 * only when each holds no management scope the actor lacks.
 */
export async function assertMayActOn(tx: Tx, actor: Actor, principals: PrincipalRef | PrincipalRef[]): Promise<void> {
  const list = Array.isArray(principals) ? principals : [principals];
  if (list.length === 0) return;
  await holdUntilCommit(tx, list);
  const held = await managementScopesOf(tx, list);
  for (const principal of list) {
    const missing = missingFrom(actor, held.get(principal.id)!);
    if (missing.length > 0) {
      throw new ForbiddenError(
        `The ${principalNoun[principal.type]} ${principal.id} holds ${missing.join(", ")}: only a caller holding ${missing.length === 1 ? "it" : "them"} may change it`,
        missing,
      );
    }
  }
}

const principalTable: Record<PrincipalRef["type"], Prisma.Sql> = {
  user: Prisma.sql`"User"`,
  application: Prisma.sql`"Application"`,
  role: Prisma.sql`"Role"`,
  managementKey: Prisma.sql`"ManagementKey"`,
};

/**
 * Locks the principals' rows until the transaction ends, so that no grant lands between the
 * check and the write it allows: giving a user or an application a role (or a role a scope)
 * inserts a row that references it, which waits for this lock; one that came first is seen.
 * In id order, so that two writers locking overlapping sets cannot deadlock.
 */
async function holdUntilCommit(tx: Tx, principals: PrincipalRef[]): Promise<void> {
  for (const type of Object.keys(principalTable) as Array<PrincipalRef["type"]>) {
    const ids = principals.filter((principal) => principal.type === type).map((principal) => principal.id);
    if (ids.length > 0) {
      await tx.$executeRaw`SELECT 1 FROM ${principalTable[type]} WHERE id = ANY (${ids}::text[]) ORDER BY id FOR UPDATE`;
    }
  }
}

/**
 * Runs `work` (writes that may take management scopes away from someone) and refuses its result
 * when the realm is left without a principal holding every management scope. A transaction-scoped
 * advisory lock per realm orders such writes, so each one's check sees the others' outcome.
 */
export async function keepingRealmAdministrator<T>(tx: Tx, realmId: string, work: () => Promise<T>): Promise<T> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('usergate:realm-administrator'), hashtext(${realmId}))`;
  const result = await work();
  if (!(await realmHasAdministrator(tx, realmId))) {
    throw new ForbiddenError("The realm would be left without an administrator (a principal holding every management scope)");
  }
  return result;
}

/**
 * Whether some principal of the realm can still use every management scope: an application with
 * the client_credentials grant, an active user (realm-wide roles: those its tokens carry), or a
 * management key that does not expire (an expiring one cannot keep a realm administered).
 */
async function realmHasAdministrator(tx: Tx, realmId: string): Promise<boolean> {
  const [row] = await tx.$queryRaw<Array<{ kept: boolean }>>`
    WITH management AS (
      SELECT s.id, s.name FROM "Scope" s JOIN "Resource" r ON r.id = s."resourceId"
      WHERE r."realmId" = ${realmId} AND r."isManagement"
    ), wanted AS (SELECT count(*) AS n, array_agg(name) AS names FROM management)
    SELECT (
      EXISTS (
        SELECT 1 FROM "Application" a
        JOIN "ApplicationRole" ar ON ar."applicationId" = a.id
        JOIN "RoleScope" rs ON rs."roleId" = ar."roleId"
        JOIN management m ON m.id = rs."scopeId"
        WHERE a."realmId" = ${realmId} AND 'client_credentials' = ANY (a."grantTypes")
        GROUP BY a.id HAVING count(DISTINCT m.id) = (SELECT n FROM wanted))
      OR EXISTS (
        SELECT 1 FROM "User" u
        JOIN "UserRole" ur ON ur."userId" = u.id AND ur."tenantId" IS NULL
        JOIN "RoleScope" rs ON rs."roleId" = ur."roleId"
        JOIN management m ON m.id = rs."scopeId"
        WHERE u."realmId" = ${realmId} AND u.status = 'active'
        GROUP BY u.id HAVING count(DISTINCT m.id) = (SELECT n FROM wanted))
      OR EXISTS (
        SELECT 1 FROM "ManagementKey" k
        WHERE k."realmId" = ${realmId} AND k."revokedAt" IS NULL AND k."expiresAt" IS NULL
          AND k.scopes @> (SELECT names FROM wanted))
    ) AS kept`;
  return row?.kept ?? false;
}

/** The management API and its scopes are defined by the gateway, not through its API. */
export function assertResourceWritable(resource: { id: string; isManagement: boolean }): void {
  if (resource.isManagement) {
    throw new ForbiddenError(`Resource ${resource.id} is the management API: it and its scopes are read-only`);
  }
}

/**
 * Start-up finds the built-in administrator role by its name and gives it every management scope:
 * that role keeps its name, and no other role takes it (else renaming one's own role to it is a
 * promotion at the next start). `role` is the role being renamed, null for a new one.
 */
export function assertMayNameRole(role: { name: string } | null, name: string | undefined): void {
  if (name === undefined || name === role?.name) return;
  if (role?.name === managementAdminRoleName || name === managementAdminRoleName) {
    throw new ForbiddenError(`The name ${managementAdminRoleName} belongs to the built-in administrator role: it is read-only`);
  }
}
