import { generateClientId, generateSecret, hashSecret } from "../../auth/secrets.js";
import { newId } from "../../db/ids.js";
import { ApplicationType as ApplicationTypeValues, type Prisma } from "../../generated/prisma/client.js";
import { revokeApplicationTokens } from "../../services/application-tokens.js";
import { diffFields, recordAudit } from "../../services/audit.js";
import { NotFoundError, ValidationError } from "../../services/errors.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { assertCanGrantRoles } from "../grant-limits.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, checkListSize, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
import { findRolesInRealm } from "../realm-lookups.js";
import { loadRelatedRows } from "../relation-loader.js";
import { writeErrors } from "./errors.js";
import { DeletePayload } from "./resource.js";
import { Role } from "./role.js";

const ApplicationType = builder.enumType(ApplicationTypeValues, { name: "ApplicationType" });

/** Grants each kind of application may use, and has when created without a list. */
const allowedGrants: Record<keyof typeof ApplicationTypeValues, string[]> = {
  m2m: ["client_credentials"],
  web: ["password", "refresh_token"],
  native: ["password", "refresh_token"],
  spa: ["password", "refresh_token"],
};
/** Public clients (spa, native) cannot keep a secret, so they get none. */
const hasSecret = (type: keyof typeof ApplicationTypeValues) => type === "m2m" || type === "web";

export const Application = builder.prismaNode("Application", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (application, context) => application.realmId === context.principal?.realmId,
  fields: (t) => ({
    name: t.exposeString("name"),
    description: t.exposeString("description", { nullable: true }),
    type: t.expose("type", { type: ApplicationType }),
    clientId: t.exposeString("clientId"),
    redirectUris: t.exposeStringList("redirectUris"),
    grantTypes: t.exposeStringList("grantTypes"),
    roles: t.field({
      type: [Role],
      description: "Roles whose scopes the application's own tokens carry.",
      resolve: (application, _args, context) => loadRelatedRows(context, "rolesOfApplication", application.id),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

function applicationsWhere(search: string | null | undefined, context: GraphQLContext): Prisma.ApplicationWhereInput {
  const name = containsText(search);
  return { realmId: realmOf(context), ...(name ? { name } : {}) };
}

builder.queryFields((t) => ({
  applications: t.prismaConnection({
    type: "Application",
    cursor: "id",
    authScopes: { scope: "applications:read" },
    args: {
      search: t.arg.string({ description: listArgumentDescriptions.search }),
      offset: t.arg.int({ description: listArgumentDescriptions.offset }),
    },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.application.findMany({ ...query, skip: query.skip + offsetOf(args.offset), where: applicationsWhere(args.search, context) });
    },
    totalCount: (_root, args, context) => context.prisma.application.count({ where: applicationsWhere(args.search, context) }),
  }),
  application: t.prismaField({
    type: "Application",
    nullable: true,
    authScopes: { scope: "applications:read" },
    args: { id: t.arg.id({ required: true }) },
    resolve: (query, _root, args, context) =>
      context.prisma.application.findFirst({ ...query, where: { id: String(args.id), realmId: realmOf(context) } }),
  }),
}));

const CreateApplicationInput = builder.inputType("CreateApplicationInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    description: t.string(),
    type: t.field({ type: ApplicationType, required: true }),
    redirectUris: t.stringList(),
    grantTypes: t.stringList({ description: "Defaults to what the type allows." }),
    roleIds: t.idList({ description: "Roles granted to the application itself (m2m)." }),
  }),
});

const UpdateApplicationInput = builder.inputType("UpdateApplicationInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    description: t.string(),
    redirectUris: t.stringList(),
    grantTypes: t.stringList(),
  }),
});

const ApplicationIdInput = builder.inputType("ApplicationIdInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const ApplicationRolesInput = builder.inputType("ApplicationRolesInput", {
  fields: (t) => ({
    applicationId: t.id({ required: true }),
    roleIds: t.idList({ required: true }),
  }),
});

const ApplicationPayload = builder.simpleObject("ApplicationPayload", {
  fields: (t) => ({ application: t.field({ type: Application }) }),
});

const ApplicationSecretPayload = builder.simpleObject("ApplicationSecretPayload", {
  fields: (t) => ({
    application: t.field({ type: Application }),
    clientSecret: t.string({
      nullable: true,
      description: "Shown only in this response; only a hash is stored. Null for public clients.",
    }),
  }),
});

function checkRedirectUris(uris: readonly string[] | null | undefined): void {
  checkListSize("input.redirectUris", uris, 20);
  for (const [index, uri] of (uris ?? []).entries()) {
    let parsed: URL;
    try {
      parsed = new URL(uri);
    } catch {
      throw new ValidationError(`input.redirectUris.${index}`, "Each redirect URI must be an absolute URL");
    }
    if (parsed.hash) throw new ValidationError(`input.redirectUris.${index}`, "A redirect URI must not contain a fragment");
  }
}

function checkGrants(type: keyof typeof ApplicationTypeValues, grants: readonly string[]): void {
  const refused = grants.find((grant) => !allowedGrants[type].includes(grant));
  if (refused) {
    throw new ValidationError("input.grantTypes", `A ${type} application may use ${allowedGrants[type].join(", ")}; not ${refused}`);
  }
}

async function applicationInRealm(tx: Prisma.TransactionClient, id: string, realmId: string) {
  const application = await tx.application.findFirst({ where: { id, realmId } });
  if (!application) throw new NotFoundError("Application", id);
  return application;
}

builder.mutationFields((t) => ({
  createApplication: t.field({
    type: ApplicationSecretPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateApplicationInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      checkRedirectUris(input.redirectUris);
      const grantTypes = [...new Set(input.grantTypes ?? allowedGrants[input.type])];
      checkGrants(input.type, grantTypes);
      checkListSize("input.roleIds", input.roleIds);
      const realmId = realmOf(context);
      const clientSecret = hasSecret(input.type) ? generateSecret() : null;
      const application = await context.prisma.$transaction(async (tx) => {
        const roles = await findRolesInRealm(tx, (input.roleIds ?? []).map(String), realmId);
        await assertCanGrantRoles(tx, context, roles.map((role) => role.id));
        const created = await tx.application.create({
          data: {
            id: newId("application"),
            realmId,
            name: input.name.trim(),
            description: input.description ?? null,
            type: input.type,
            clientId: generateClientId(),
            clientSecretHash: clientSecret ? hashSecret(clientSecret) : null,
            redirectUris: input.redirectUris ?? [],
            grantTypes,
            roles: { create: roles.map((role) => ({ roleId: role.id })) },
          },
        });
        await recordAudit(tx, actorOf(context), {
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
    },
  }),
  updateApplication: t.field({
    type: ApplicationPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateApplicationInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      checkRedirectUris(input.redirectUris);
      const realmId = realmOf(context);
      const application = await context.prisma.$transaction(async (tx) => {
        const before = await applicationInRealm(tx, String(input.id), realmId);
        if (input.grantTypes) checkGrants(before.type, input.grantTypes);
        const changes = {
          name: input.name?.trim() ?? undefined,
          description: input.description ?? undefined,
          redirectUris: input.redirectUris ?? undefined,
          grantTypes: input.grantTypes ? [...new Set(input.grantTypes)] : undefined,
        };
        const updated = await tx.application.update({ where: { id: before.id }, data: changes });
        await recordAudit(tx, actorOf(context), {
          action: "application.update",
          targetType: "Application",
          targetId: before.id,
          changes: diffFields(before, changes),
        });
        return updated;
      });
      return { application };
    },
  }),
  deleteApplication: t.field({
    type: DeletePayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationIdInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      await context.prisma.$transaction(async (tx) => {
        const application = await applicationInRealm(tx, String(input.id), realmId);
        await tx.application.delete({ where: { id: application.id } });
        await recordAudit(tx, actorOf(context), {
          action: "application.delete",
          targetType: "Application",
          targetId: application.id,
          changes: { name: { before: application.name, after: null } },
        });
      });
      return { deletedId: String(input.id) };
    },
  }),
  rotateApplicationSecret: t.field({
    type: ApplicationSecretPayload,
    description: "Replaces the client secret at once; the old one stops working.",
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationIdInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      const clientSecret = generateSecret();
      const application = await context.prisma.$transaction(async (tx) => {
        const before = await applicationInRealm(tx, String(input.id), realmId);
        if (!hasSecret(before.type)) throw new ValidationError("input.id", `A ${before.type} application has no client secret`);
        const updated = await tx.application.update({ where: { id: before.id }, data: { clientSecretHash: hashSecret(clientSecret) } });
        await revokeApplicationTokens(tx, [before.id]);
        await recordAudit(tx, actorOf(context), {
          action: "application.secret.rotate",
          targetType: "Application",
          targetId: before.id,
          changes: { clientSecret: { before: null, after: null } },
        });
        return updated;
      });
      return { application, clientSecret };
    },
  }),
  assignRolesToApplication: t.field({
    type: ApplicationPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationRolesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.roleIds", input.roleIds);
      const realmId = realmOf(context);
      const application = await context.prisma.$transaction(async (tx) => {
        const application = await applicationInRealm(tx, String(input.applicationId), realmId);
        const roles = await findRolesInRealm(tx, input.roleIds.map(String), realmId);
        await assertCanGrantRoles(tx, context, roles.map((role) => role.id));
        await tx.applicationRole.createMany({
          data: roles.map((role) => ({ applicationId: application.id, roleId: role.id })),
          skipDuplicates: true,
        });
        await recordAudit(tx, actorOf(context), {
          action: "application.roles.assign",
          targetType: "Application",
          targetId: application.id,
          changes: { roles: { before: null, after: roles.map((role) => role.name) } },
        });
        return application;
      });
      return { application };
    },
  }),
  removeRolesFromApplication: t.field({
    type: ApplicationPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationRolesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.roleIds", input.roleIds);
      const realmId = realmOf(context);
      const application = await context.prisma.$transaction(async (tx) => {
        const application = await applicationInRealm(tx, String(input.applicationId), realmId);
        const roles = await findRolesInRealm(tx, input.roleIds.map(String), realmId);
        await tx.applicationRole.deleteMany({
          where: { applicationId: application.id, roleId: { in: roles.map((role) => role.id) } },
        });
        await revokeApplicationTokens(tx, [application.id]);
        await recordAudit(tx, actorOf(context), {
          action: "application.roles.remove",
          targetType: "Application",
          targetId: application.id,
          changes: { roles: { before: roles.map((role) => role.name), after: null } },
        });
        return application;
      });
      return { application };
    },
  }),
}));
