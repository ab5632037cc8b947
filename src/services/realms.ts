// Realms: creating one provisions its management API and mints its first administrator, an m2m
// application holding every management scope there whose secret the caller receives. So only an
// administrator of its own realm may create one: `realms:write` alone would mint itself a
// principal with scopes it does not hold.
import { isUniqueViolation } from "../db/unique-violation.js";
import { newId } from "../db/ids.js";
import type { PrismaClient, Realm } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { diffFields, recordAudit } from "./audit.js";
import { adminApplication } from "./bootstrap.js";
import { ConflictError, NotFoundError, ValidationError } from "./errors.js";
import { assertHoldsEveryManagementScope } from "./privilege-policy.js";
import { provisionRealm } from "./realm-provisioning.js";
import { generateClientId, generateSecret, hashSecret } from "./secrets.js";

export type NewRealm = { name: string; displayName: string | null };
export type RealmChanges = { id: string; name?: string; displayName?: string };

function nameTaken(error: unknown, name: string | undefined): never {
  if (isUniqueViolation(error)) throw new ConflictError(`A realm named "${name}" already exists`, "input.name");
  throw error;
}

export async function createRealm(
  prisma: PrismaClient,
  actor: Actor,
  input: NewRealm,
): Promise<{ realm: Realm; adminClientId: string; adminClientSecret: string }> {
  const adminClientId = generateClientId();
  const adminClientSecret = generateSecret();
  const realm = await prisma
    .$transaction(async (tx) => {
      await assertHoldsEveryManagementScope(tx, actor, "Creating a realm (which mints its administrator)");
      const created = await tx.realm.create({ data: { id: newId("realm"), name: input.name, displayName: input.displayName } });
      const role = await provisionRealm(tx, created.id, false);
      const application = await tx.application.create({ data: adminApplication(created.id, adminClientId, hashSecret(adminClientSecret)) });
      await tx.applicationRole.create({ data: { applicationId: application.id, roleId: role.id } });
      await recordAudit(tx, actor, {
        action: "realm.create",
        targetType: "Realm",
        targetId: created.id,
        changes: { name: { before: null, after: created.name } },
      });
      return created;
    })
    .catch((error) => nameTaken(error, input.name));
  return { realm, adminClientId, adminClientSecret };
}

export async function updateRealm(prisma: PrismaClient, actor: Actor, input: RealmChanges): Promise<Realm> {
  return prisma
    .$transaction(async (tx) => {
      const before = await tx.realm.findUnique({ where: { id: input.id } });
      if (!before) throw new NotFoundError("Realm", input.id);
      if (before.isAdmin && input.name && input.name !== before.name) {
        throw new ValidationError("input.name", "The admin realm keeps its name: start-up provisioning finds it by name");
      }
      const changes = { name: input.name, displayName: input.displayName };
      const updated = await tx.realm.update({ where: { id: before.id }, data: changes });
      await recordAudit(tx, actor, { action: "realm.update", targetType: "Realm", targetId: before.id, changes: diffFields(before, changes) });
      return updated;
    })
    .catch((error) => nameTaken(error, input.name));
}
