// Applications: their write transactions and the rules over them. Creating one and giving it roles
// obey the grant ceiling. Every change to an application's credentials (secret, grant types,
// redirect URIs), privileges (roles) or existence obeys the target ceiling: else
// `applications:write` rotates the admin application's secret and signs in as it. Writes that can
// take management scopes away run under the last-administrator guard, and changes to what the
// application's credentials are worth end its tokens.
import { newId } from "../db/ids.js";
import type { Application, ApplicationType, Prisma, PrismaClient } from "../generated/prisma/client.js";
import type { Actor } from "./actor.js";
import { revokeApplicationTokens } from "./application-tokens.js";
import { diffFields, recordAudit } from "./audit.js";
import { NotFoundError, ValidationError } from "./errors.js";
import { assertMayActOn, assertMayGrantRoles, keepingRealmAdministrator } from "./privilege-policy.js";
import { findRolesInRealm } from "./realm-lookups.js";
import { generateClientId, generateSecret, hashSecret } from "./secrets.js";

type Tx = Prisma.TransactionClient;

export type NewApplication = {
  name: string;
  description: string | null;
  type: ApplicationType;
  redirectUris: string[];
  /** Null: what the type allows. */
  grantTypes: string[] | null;
  roleIds: string[];
};

export type ApplicationChanges = {
  id: string;
  name?: string;
  description?: string;
  redirectUris?: string[];
  grantTypes?: string[];
};

export type ApplicationRoles = { applicationId: string; roleIds: string[] };

/** An application with the client secret shown only in this response (null for public clients). */
export type ApplicationWithSecret = { application: Application; clientSecret: string | null };

/** Grants each kind of application may use, and has when created without a list. */
const allowedGrants: Record<ApplicationType, string[]> = {
  m2m: ["client_credentials"],
  web: ["password", "refresh_token"],
  native: ["password", "refresh_token"],
  spa: ["password", "refresh_token"],
};

/** Public clients (spa, native) cannot keep a secret, so they get none. */
const hasSecret = (type: ApplicationType) => type === "m2m" || type === "web";

function checkGrants(type: ApplicationType, grants: readonly string[]): void {
  const refused = grants.find((grant) => !allowedGrants[type].includes(grant));
  if (refused) {
    throw new ValidationError("input.grantTypes", `A ${type} application may use ${allowedGrants[type].join(", ")}; not ${refused}`);
  }
}

async function applicationInRealm(tx: Tx, id: string, realmId: string): Promise<Application> {
  const application = await tx.application.findFirst({ where: { id, realmId } });
  if (!application) throw new NotFoundError("Application", id);
  return application;
}

const target = (application: Application) => ({ type: "application", id: application.id }) as const;

export async function createApplication(prisma: PrismaClient, actor: Actor, input: NewApplication): Promise<ApplicationWithSecret> {
  const grantTypes = [...new Set(input.grantTypes ?? allowedGrants[input.type])];
  checkGrants(input.type, grantTypes);
  const clientSecret = hasSecret(input.type) ? generateSecret() : null;
  const application = await prisma.$transaction(async (tx) => {
    const roles = await findRolesInRealm(tx, input.roleIds, actor.realmId);
    await assertMayGrantRoles(tx, actor, roles.map((role) => role.id));
    const created = await tx.application.create({
      data: {
        id: newId("application"),
        realmId: actor.realmId,
        name: input.name,
        description: input.description,
        type: input.type,
        clientId: generateClientId(),
        clientSecretHash: clientSecret ? hashSecret(clientSecret) : null,
        redirectUris: input.redirectUris,
        grantTypes,
        roles: { create: roles.map((role) => ({ roleId: role.id })) },
      },
    });
    await recordAudit(tx, actor, {
      action: "application.create",
      targetType: "Application",
      targetId: created.id,
      changes: {
        name: { before: null, after: created.name },
        type: { before: null, after: created.type },
        roles: { before: [], after: roles.map((role) => role.name) },
      },
    });
    return created;
  });
  return { application, clientSecret };
}

/**
 * Name and description are open to `applications:write`: they are no credential. Grant types
 * (how the application gets tokens) and redirect URIs (where its sign-ins are sent) are, so
 * changing them obeys the target ceiling. Fewer grants may end the realm's last administrator
 * (an administrator application needs client_credentials), and tokens of the old grants end.
 */
export async function updateApplication(prisma: PrismaClient, actor: Actor, input: ApplicationChanges): Promise<Application> {
  return prisma.$transaction(async (tx) => {
    const before = await applicationInRealm(tx, input.id, actor.realmId);
    if (input.grantTypes) checkGrants(before.type, input.grantTypes);
    const changes = {
      name: input.name,
      description: input.description,
      redirectUris: input.redirectUris,
      grantTypes: input.grantTypes ? [...new Set(input.grantTypes)] : undefined,
    };
    const changed = diffFields(before, changes);
    const write = async () => {
      const updated = await tx.application.update({ where: { id: before.id }, data: changes });
      await recordAudit(tx, actor, { action: "application.update", targetType: "Application", targetId: before.id, changes: changed });
      return updated;
    };
    if (!changed.grantTypes && !changed.redirectUris) return write();
    await assertMayActOn(tx, actor, target(before));
    if (!changed.grantTypes) return write();
    return keepingRealmAdministrator(tx, actor.realmId, async () => {
      await revokeApplicationTokens(tx, [before.id]);
      return write();
    });
  });
}

/** Its tokens end with it: the verifier refuses a token whose application is gone. */
export async function deleteApplication(prisma: PrismaClient, actor: Actor, id: string): Promise<void> {
  await prisma.$transaction(async (tx) => {
    const application = await applicationInRealm(tx, id, actor.realmId);
    await assertMayActOn(tx, actor, target(application));
    await keepingRealmAdministrator(tx, actor.realmId, async () => {
      await tx.application.delete({ where: { id: application.id } });
      await recordAudit(tx, actor, {
        action: "application.delete",
        targetType: "Application",
        targetId: application.id,
        changes: { name: { before: application.name, after: null } },
      });
    });
  });
}

/** Replaces the client secret at once: the old one stops working, and so do tokens issued with it. */
export async function rotateApplicationSecret(prisma: PrismaClient, actor: Actor, id: string): Promise<ApplicationWithSecret> {
  const clientSecret = generateSecret();
  const application = await prisma.$transaction(async (tx) => {
    const before = await applicationInRealm(tx, id, actor.realmId);
    await assertMayActOn(tx, actor, target(before));
    if (!hasSecret(before.type)) throw new ValidationError("input.id", `A ${before.type} application has no client secret`);
    await revokeApplicationTokens(tx, [before.id]);
    const updated = await tx.application.update({ where: { id: before.id }, data: { clientSecretHash: hashSecret(clientSecret) } });
    await recordAudit(tx, actor, {
      action: "application.secret.rotate",
      targetType: "Application",
      targetId: before.id,
      changes: { clientSecret: { before: null, after: null } },
    });
    return updated;
  });
  return { application, clientSecret };
}

export async function assignRolesToApplication(prisma: PrismaClient, actor: Actor, input: ApplicationRoles): Promise<Application> {
  return prisma.$transaction(async (tx) => {
    const application = await applicationInRealm(tx, input.applicationId, actor.realmId);
    const roles = await findRolesInRealm(tx, input.roleIds, actor.realmId);
    await assertMayGrantRoles(tx, actor, roles.map((role) => role.id));
    await assertMayActOn(tx, actor, target(application));
    const { count } = await tx.applicationRole.createMany({
      data: roles.map((role) => ({ applicationId: application.id, roleId: role.id })),
      skipDuplicates: true,
    });
    if (count > 0) await revokeApplicationTokens(tx, [application.id]);
    await recordAudit(tx, actor, {
      action: "application.roles.assign",
      targetType: "Application",
      targetId: application.id,
      changes: { roles: { before: null, after: roles.map((role) => role.name) } },
    });
    return application;
  });
}

export async function removeRolesFromApplication(prisma: PrismaClient, actor: Actor, input: ApplicationRoles): Promise<Application> {
  return prisma.$transaction(async (tx) => {
    const application = await applicationInRealm(tx, input.applicationId, actor.realmId);
    const roles = await findRolesInRealm(tx, input.roleIds, actor.realmId);
    await assertMayActOn(tx, actor, target(application));
    await keepingRealmAdministrator(tx, actor.realmId, async () => {
      const { count } = await tx.applicationRole.deleteMany({
        where: { applicationId: application.id, roleId: { in: roles.map((role) => role.id) } },
      });
      if (count > 0) await revokeApplicationTokens(tx, [application.id]);
      await recordAudit(tx, actor, {
        action: "application.roles.remove",
        targetType: "Application",
        targetId: application.id,
        changes: { roles: { before: roles.map((role) => role.name), after: null } },
      });
    });
    return application;
  });
}
