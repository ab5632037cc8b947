import { createManagementKey, revokeManagementKey } from "../../services/management-keys.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkLength, limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";
import { writeErrors } from "./errors.js";

export const ManagementKey = builder.prismaObject("ManagementKey", {
  description: "A long-lived credential for the management API (`Bearer <realm id>:<key>`).",
  authScopes: (key, context) => key.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    id: t.exposeID("id"),
    name: t.exposeString("name"),
    keyPrefix: t.exposeString("keyPrefix", { description: "The key's first characters, to tell keys apart." }),
    scopes: t.exposeStringList("scopes"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    expiresAt: t.expose("expiresAt", { type: "DateTime", nullable: true }),
    revokedAt: t.expose("revokedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.queryField("managementKeys", (t) =>
  t.prismaConnection({
    type: "ManagementKey",
    cursor: "id",
    authScopes: { scope: "applications:read" },
    resolve: (query, _root, args, context) => {
      checkPageSize(args);
      return context.prisma.managementKey.findMany({ ...query, where: { realmId: realmOf(context) } });
    },
    totalCount: (_root, _args, context) => context.prisma.managementKey.count({ where: { realmId: realmOf(context) } }),
  }),
);

const CreateManagementKeyInput = builder.inputType("CreateManagementKeyInput", {
  fields: (t) => ({
    name: t.string({ required: true }),
    scopes: t.stringList({ required: true, description: "Management scopes; at most those the caller holds." }),
    expiresAt: t.field({ type: "DateTime" }),
  }),
});

const RevokeManagementKeyInput = builder.inputType("RevokeManagementKeyInput", {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const CreateManagementKeyPayload = builder.simpleObject("CreateManagementKeyPayload", {
  fields: (t) => ({
    managementKey: t.field({ type: ManagementKey }),
    key: t.string({ description: "`<realm id>:<key>`, shown only in this response." }),
  }),
});

const ManagementKeyPayload = builder.simpleObject("ManagementKeyPayload", {
  fields: (t) => ({ managementKey: t.field({ type: ManagementKey }) }),
});

builder.mutationFields((t) => ({
  createManagementKey: t.field({
    type: CreateManagementKeyPayload,
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: CreateManagementKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkLength("input.name", input.name, limits.nameLength);
      const actor = actorOf(context);
      const { managementKey, key } = await createManagementKey(context.prisma, actor, {
        name: input.name.trim(),
        scopes: input.scopes,
        expiresAt: input.expiresAt ?? null,
      });
      return { managementKey, key: `${actor.realmId}:${key}` };
    },
  }),
  revokeManagementKey: t.field({
    type: ManagementKeyPayload,
    description: "The key stops working at once.",
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: RevokeManagementKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => ({
      managementKey: await revokeManagementKey(context.prisma, actorOf(context), String(input.id)),
    }),
  }),
}));
