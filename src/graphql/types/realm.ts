import { ValidationError } from "../../services/errors.js";
import { createRealm, updateRealm } from "../../services/realms.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkLength, limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";
import { writeErrors } from "./errors.js";

export const Realm = builder.prismaNode("Realm", {
  id: { field: "id" },
  // A realm is visible to its own principals and to principals of the admin realm.
  authScopes: (realm, context) => realm.id === context.principal?.realmId || { adminRealm: true },
  fields: (t) => ({
    name: t.exposeString("name"),
    displayName: t.exposeString("displayName", { nullable: true }),
    isAdmin: t.exposeBoolean("isAdmin"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    updatedAt: t.expose("updatedAt", { type: "DateTime" }),
  }),
});

const realmAdmin = (scope: "realms:read" | "realms:write") => ({ $all: { adminRealm: true, scope } }) as const;

builder.queryFields((t) => ({
  realm: t.prismaField({
    type: "Realm",
    description: "The realm of the calling principal.",
    authScopes: { authenticated: true },
    resolve: (query, _root, _args, context) =>
      context.prisma.realm.findUniqueOrThrow({ ...query, where: { id: context.principal!.realmId } }),
  }),
  realms: t.prismaConnection({
    type: "Realm",
    cursor: "id",
    description: "Every realm of the gateway (admin realm only).",
    authScopes: realmAdmin("realms:read"),
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.realm.findMany({ ...query });
    },
    totalCount: (_root, _args, context) => context.prisma.realm.count(),
  }),
}));

const realmNamePattern = /^[a-z0-9][a-z0-9-]{1,62}$/;

const CreateRealmInput = builder.inputType("CreateRealmInput", {
  fields: (t) => ({
    name: t.string({ required: true, description: "Lower-case letters, digits and dashes; unique." }),
    displayName: t.string(),
  }),
});

const UpdateRealmInput = builder.inputType("UpdateRealmInput", {
  fields: (t) => ({
    id: t.id({ required: true }),
    name: t.string(),
    displayName: t.string(),
  }),
});

const CreateRealmPayload = builder.simpleObject("CreateRealmPayload", {
  fields: (t) => ({
    realm: t.field({ type: Realm }),
    adminClientId: t.string({ description: "An m2m application holding every management scope of the new realm." }),
    adminClientSecret: t.string({ description: "Shown only in this response." }),
  }),
});

const RealmPayload = builder.simpleObject("RealmPayload", {
  fields: (t) => ({ realm: t.field({ type: Realm }) }),
});

function checkRealmName(name: string | null | undefined): void {
  if (name !== null && name !== undefined && !realmNamePattern.test(name)) {
    throw new ValidationError("input.name", "input.name must be 2-63 lower-case letters, digits or dashes, starting with a letter or digit");
  }
}

builder.mutationFields((t) => ({
  createRealm: t.field({
    type: CreateRealmPayload,
    description: "Needs every management scope of the caller's realm: it mints the new realm's administrator.",
    authScopes: realmAdmin("realms:write"),
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateRealmInput, required: true }) },
    resolve: (_root, { input }, context) => {
      checkRealmName(input.name);
      checkLength("input.displayName", input.displayName, limits.nameLength);
      return createRealm(context.prisma, actorOf(context), { name: input.name, displayName: input.displayName ?? null });
    },
  }),
  updateRealm: t.field({
    type: RealmPayload,
    authScopes: realmAdmin("realms:write"),
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateRealmInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkRealmName(input.name);
      checkLength("input.displayName", input.displayName, limits.nameLength, 0);
      const realm = await updateRealm(context.prisma, actorOf(context), {
        id: String(input.id),
        name: input.name ?? undefined,
        displayName: input.displayName ?? undefined,
      });
      return { realm };
    },
  }),
}));
