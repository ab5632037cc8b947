import { ApplicationType as ApplicationTypeValues, type Prisma } from "../../generated/prisma/client.js";
import {
  assignRolesToApplication,
  createApplication,
  deleteApplication,
  removeRolesFromApplication,
  rotateApplicationSecret,
  updateApplication,
} from "../../services/applications.js";
import { ValidationError } from "../../services/errors.js";
import { actorOf, inCallersRealm, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkLength, checkListSize, limits } from "../input-limits.js";
import { checkPageSize, containsText, listArgumentDescriptions, offsetOf } from "../list-arguments.js";
import { loadRelatedRows } from "../relation-loader.js";
import { writeErrors } from "./errors.js";
import { DeletePayload } from "./resource.js";
import { Role } from "./role.js";

const ApplicationType = builder.enumType(ApplicationTypeValues, { name: "ApplicationType" });

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

builder.mutationFields((t) => ({
  createApplication: t.field({
    type: ApplicationSecretPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateApplicationInput, required: true }) },
    resolve: (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      checkLength("input.description", input.description, limits.descriptionLength, 0);
      checkRedirectUris(input.redirectUris);
      checkListSize("input.roleIds", input.roleIds);
      return createApplication(context.prisma, actorOf(context), {
        name: input.name.trim(),
        description: input.description ?? null,
        type: input.type,
        redirectUris: input.redirectUris ?? [],
        grantTypes: input.grantTypes ?? null,
        roleIds: (input.roleIds ?? []).map(String),
      });
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
      const application = await updateApplication(context.prisma, actorOf(context), {
        id: String(input.id),
        name: input.name?.trim() ?? undefined,
        description: input.description ?? undefined,
        redirectUris: input.redirectUris ?? undefined,
        grantTypes: input.grantTypes ?? undefined,
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
      await deleteApplication(context.prisma, actorOf(context), String(input.id));
      return { deletedId: String(input.id) };
    },
  }),
  rotateApplicationSecret: t.field({
    type: ApplicationSecretPayload,
    description: "Replaces the client secret at once; the old one stops working.",
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationIdInput, required: true }) },
    resolve: (_root, { input }, context) => rotateApplicationSecret(context.prisma, actorOf(context), String(input.id)),
  }),
  assignRolesToApplication: t.field({
    type: ApplicationPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: ApplicationRolesInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkListSize("input.roleIds", input.roleIds);
      const application = await assignRolesToApplication(context.prisma, actorOf(context), {
        applicationId: String(input.applicationId),
        roleIds: input.roleIds.map(String),
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
      const application = await removeRolesFromApplication(context.prisma, actorOf(context), {
        applicationId: String(input.applicationId),
        roleIds: input.roleIds.map(String),
      });
      return { application };
    },
  }),
}));
