import { managementScopes } from "../../services/management-api.js";
import { createManagementKey } from "../../auth/management-keys.js";
import type { Prisma } from "../../generated/prisma/client.js";
import { recordAudit } from "../../services/audit.js";
import { NotFoundError, ValidationError } from "../../services/errors.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { assertMayGrantScopeNames } from "../../services/privilege-policy.js";
import { checkLength, limits } from "../input-limits.js";
import { checkPageSize } from "../list-arguments.js";
import { writeErrors } from "./errors.js";

const managementScopeNames = new Set<string>(managementScopes.map((scope) => scope.name));

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
      const scopes = [...new Set(input.scopes)];
      const unknown = scopes.find((scope) => !managementScopeNames.has(scope));
      if (unknown) throw new ValidationError("input.scopes", `${unknown} is not a management scope`);
      if (scopes.length === 0) throw new ValidationError("input.scopes", "input.scopes must name at least one scope");
      if (input.expiresAt && input.expiresAt <= new Date()) {
        throw new ValidationError("input.expiresAt", "input.expiresAt must be in the future");
      }
      assertMayGrantScopeNames(actorOf(context), scopes);
      const realmId = realmOf(context);
      const actor = actorOf(context);
      const { row, key } = await context.prisma.$transaction(async (tx) => {
        const created = await createManagementKey(tx, {
          realmId,
          name: input.name.trim(),
          scopes,
          expiresAt: input.expiresAt ?? null,
          createdBy: actor.id,
        });
        await recordAudit(tx, actor, {
          action: "management_key.create",
          targetType: "ManagementKey",
          targetId: created.row.id,
          changes: { scopes: { before: null, after: scopes } },
        });
        return created;
      });
      return { managementKey: row, key: `${realmId}:${key}` };
    },
  }),
  revokeManagementKey: t.field({
    type: ManagementKeyPayload,
    description: "The key stops working at once.",
    authScopes: { scope: "applications:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: RevokeManagementKeyInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      const managementKey = await context.prisma.$transaction(async (tx: Prisma.TransactionClient) => {
        const key = await tx.managementKey.findFirst({ where: { id: String(input.id), realmId } });
        if (!key) throw new NotFoundError("ManagementKey", String(input.id));
        const revoked = await tx.managementKey.update({ where: { id: key.id }, data: { revokedAt: key.revokedAt ?? new Date() } });
        await recordAudit(tx, actorOf(context), {
          action: "management_key.revoke",
          targetType: "ManagementKey",
          targetId: key.id,
          changes: { revokedAt: { before: key.revokedAt, after: revoked.revokedAt } },
        });
        return revoked;
      });
      return { managementKey };
    },
  }),
}));
