// WebAuthn passkeys of users: `User.passkeys` and "delete user's passkeys" (seed 001). The public
// key and signature counter are sign-in internals and stay out of the API; the credential id is
// the base64url string WebAuthn clients use.
import { deleteUserPasskeys } from "../../services/passkeys.js";
import { actorOf, inCallersRealm } from "../actor.js";
import { builder } from "../builder.js";
import { checkListSize } from "../input-limits.js";
import { writeErrors } from "./errors.js";
import { User } from "./user.js";

export const Passkey = builder.prismaNode("Passkey", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (passkey, context) => passkey.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    user: t.relation("user"),
    name: t.exposeString("name", { nullable: true, description: "A label the user gave the authenticator." }),
    credentialId: t.exposeString("credentialId", { description: "The WebAuthn credential id, base64url." }),
    transports: t.exposeStringList("transports", { description: "Authenticator transports: usb, nfc, ble, internal, hybrid." }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    lastUsedAt: t.expose("lastUsedAt", { type: "DateTime", nullable: true }),
  }),
});

builder.prismaObjectField("User", "passkeys", (t) =>
  t.relation("passkeys", {
    description: "The user's passkeys, oldest first.",
    authScopes: { scope: "users:read" },
    query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  }),
);

const DeleteUserPasskeysInput = builder.inputType("DeleteUserPasskeysInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    passkeyIds: t.idList({ description: "The passkeys to delete (at most 100); every passkey of the user when absent." }),
  }),
});

const DeleteUserPasskeysPayload = builder.simpleObject("DeleteUserPasskeysPayload", {
  fields: (t) => ({
    user: t.field({ type: User }),
    deletedIds: t.idList({ description: "The passkeys deleted; empty when the user had none." }),
  }),
});

builder.mutationFields((t) => ({
  deleteUserPasskeys: t.field({
    type: DeleteUserPasskeysPayload,
    description: "Deletes the given passkeys of the user, or all of them. An id that is not one of the user's passkeys is not found.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: DeleteUserPasskeysInput, required: true }) },
    resolve: (_root, { input }, context) => {
      checkListSize("input.passkeyIds", input.passkeyIds);
      return deleteUserPasskeys(context.prisma, actorOf(context), {
        userId: String(input.userId),
        passkeyIds: input.passkeyIds ? input.passkeyIds.map(String) : null,
      });
    },
  }),
}));
