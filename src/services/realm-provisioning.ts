// What every realm holds from its creation: the management API with its scopes and a role
// granting all of them. Idempotent, so start-up can run it on every boot.
import { managementAdminRoleName, managementIndicator, managementScopes, realmAdminScopes } from "./management-api.js";
import { newId } from "../db/ids.js";
import type { Prisma } from "../generated/prisma/client.js";

/**
 * Realms whose management API lacks a scope this version defines: realms created before the
 * scope existed. One statement, so that a start with many realms stays fast.
 */
export async function realmsMissingManagementScopes(tx: Prisma.TransactionClient): Promise<Array<{ id: string; isAdmin: boolean }>> {
  return tx.$queryRaw<Array<{ id: string; isAdmin: boolean }>>`
    SELECT r.id, r."isAdmin" FROM "Realm" r
    WHERE EXISTS (
      SELECT 1 FROM unnest(${managementScopes.map((scope) => scope.name)}::text[]
                           || CASE WHEN r."isAdmin" THEN ${realmAdminScopes.map((scope) => scope.name)}::text[] ELSE '{}' END) AS wanted(name)
      WHERE NOT EXISTS (
        SELECT 1 FROM "Scope" s JOIN "Resource" res ON res.id = s."resourceId"
        WHERE res."realmId" = r.id AND res."isManagement" AND s.name = wanted.name))
    ORDER BY r.id`;
}

/** Returns the realm's management-admin role. The admin realm's API also manages realms. */
export async function provisionRealm(tx: Prisma.TransactionClient, realmId: string, isAdminRealm: boolean) {
  const resource =
    (await tx.resource.findFirst({ where: { realmId, isManagement: true } })) ??
    (await tx.resource.create({
      data: { id: newId("resource"), realmId, name: "usergate management API", indicator: managementIndicator, isManagement: true },
    }));
  await tx.scope.createMany({
    data: [...managementScopes, ...(isAdminRealm ? realmAdminScopes : [])].map((scope) => ({
      id: newId("scope"),
      realmId,
      resourceId: resource.id,
      name: scope.name,
      description: scope.description,
    })),
    skipDuplicates: true,
  });
  const scopes = await tx.scope.findMany({ where: { resourceId: resource.id }, select: { id: true } });
  const role =
    (await tx.role.findUnique({ where: { realmId_name: { realmId, name: managementAdminRoleName } } })) ??
    (await tx.role.create({
      data: {
        id: newId("role"),
        realmId,
        name: managementAdminRoleName,
        description: "Every management scope of the realm",
      },
    }));
  await tx.roleScope.createMany({
    data: scopes.map((scope) => ({ roleId: role.id, scopeId: scope.id })),
    skipDuplicates: true,
  });
  return role;
}
