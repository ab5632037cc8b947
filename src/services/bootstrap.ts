// First-start provisioning, idempotent: the default (admin) realm, its management API with the
// management scopes, a role holding them all, and an m2m admin application with that role.
import { generateClientId, generateSecret, hashSecret } from "./secrets.js";
import { newId } from "../db/ids.js";
import type { PrismaClient } from "../generated/prisma/client.js";
import { provisionRealm, realmsMissingManagementScopes } from "./realm-provisioning.js";

export const defaultRealmName = "default";

export type BootstrapResult = {
  realmId: string;
  /** Set only when this start generated the admin credentials: show them once. */
  generatedCredentials: { clientId: string; clientSecret: string } | null;
};

export async function bootstrap(
  prisma: PrismaClient,
  fixedClient: { clientId: string; clientSecret: string } | null,
): Promise<BootstrapResult> {
  return prisma.$transaction(async (tx) => {
    const realm =
      (await tx.realm.findUnique({ where: { name: defaultRealmName } })) ??
      (await tx.realm.create({
        data: { id: newId("realm"), name: defaultRealmName, displayName: "Default realm", isAdmin: true },
      }));

    const role = await provisionRealm(tx, realm.id, true);
    // Scopes added by a newer version reach the realms made before it, with their admin roles.
    for (const older of await realmsMissingManagementScopes(tx)) await provisionRealm(tx, older.id, older.isAdmin);

    let generatedCredentials: BootstrapResult["generatedCredentials"] = null;
    if (fixedClient) {
      // The environment is the source of truth: a changed secret takes effect at the next start.
      const secretHash = hashSecret(fixedClient.clientSecret);
      const existing = await tx.application.findUnique({ where: { clientId: fixedClient.clientId } });
      const app = existing
        ? existing.clientSecretHash === secretHash
          ? existing
          : // A new secret is a rotation: tokens issued under the old one end too.
            await tx.application.update({ where: { id: existing.id }, data: { clientSecretHash: secretHash, tokenGeneration: { increment: 1 } } })
        : await tx.application.create({
            data: adminApplication(realm.id, fixedClient.clientId, secretHash),
          });
      await tx.applicationRole.createMany({ data: [{ applicationId: app.id, roleId: role.id }], skipDuplicates: true });
    } else {
      const hasAdmin = await tx.applicationRole.findFirst({ where: { roleId: role.id } });
      if (!hasAdmin) {
        generatedCredentials = { clientId: generateClientId(), clientSecret: generateSecret() };
        const app = await tx.application.create({
          data: adminApplication(realm.id, generatedCredentials.clientId, hashSecret(generatedCredentials.clientSecret)),
        });
        await tx.applicationRole.create({ data: { applicationId: app.id, roleId: role.id } });
      }
    }
    return { realmId: realm.id, generatedCredentials };
  });
}

export function adminApplication(realmId: string, clientId: string, clientSecretHash: string) {
  return {
    id: newId("application"),
    realmId,
    name: "usergate admin",
    description: "Holds every management scope of its realm",
    type: "m2m" as const,
    clientId,
    clientSecretHash,
    grantTypes: ["client_credentials"],
  };
}
