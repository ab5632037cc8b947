// What every realm holds from its creation: the management API with its scopes and a role
// granting all of them. Idempotent, so start-up can run it on every boot.
import { managementAdminRoleName, managementIndicator, managementScopes, realmAdminScopes } from "../auth/management-api.js";
import { newId } from "../db/ids.js";
import type { Prisma } from "../generated/prisma/client.js";

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
