// Lookups that confine ids sent by the caller to the caller's realm: an id of another realm is
// reported exactly like an id that does not exist.
import type { Prisma } from "../generated/prisma/client.js";
import { NotFoundError } from "../services/errors.js";

type Db = Prisma.TransactionClient;

export async function findScopesInRealm(db: Db, ids: string[], realmId: string) {
  const unique = [...new Set(ids)];
  const scopes = await db.scope.findMany({ where: { id: { in: unique }, realmId } });
  const missing = unique.find((id) => !scopes.some((scope) => scope.id === id));
  if (missing) throw new NotFoundError("Scope", missing);
  return scopes;
}

export async function findRolesInRealm(db: Db, ids: string[], realmId: string) {
  const unique = [...new Set(ids)];
  const roles = await db.role.findMany({ where: { id: { in: unique }, realmId } });
  const missing = unique.find((id) => !roles.some((role) => role.id === id));
  if (missing) throw new NotFoundError("Role", missing);
  return roles;
}

export async function findUserInRealm(db: Db, id: string, realmId: string) {
  const user = await db.user.findFirst({ where: { id, realmId } });
  if (!user) throw new NotFoundError("User", id);
  return user;
}

export async function findTenantsInRealm(db: Db, ids: string[], realmId: string) {
  const unique = [...new Set(ids)];
  const tenants = await db.tenant.findMany({ where: { id: { in: unique }, realmId } });
  const missing = unique.find((id) => !tenants.some((tenant) => tenant.id === id));
  if (missing) throw new NotFoundError("Tenant", missing);
  return tenants;
}

export async function findApplicationsInRealm(db: Db, ids: string[], realmId: string) {
  const unique = [...new Set(ids)];
  const applications = await db.application.findMany({ where: { id: { in: unique }, realmId } });
  const missing = unique.find((id) => !applications.some((application) => application.id === id));
  if (missing) throw new NotFoundError("Application", missing);
  return applications;
}
