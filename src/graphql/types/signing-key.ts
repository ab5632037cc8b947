import { rotateSigningKey } from "../../auth/signing-keys.js";
import { recordAudit } from "../../services/audit.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";

export const SigningKey = builder.prismaObject("SigningKey", {
  description: "A token signing key of the caller's realm. Only public parts are exposed.",
  authScopes: (key, context) => key.realmId === context.principal?.realmId,
  fields: (t) => ({
    kid: t.exposeString("kid"),
    alg: t.exposeString("alg"),
    status: t.exposeString("status"),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
    retiredAt: t.expose("retiredAt", { type: "DateTime", nullable: true }),
    publishUntil: t.expose("publishUntil", {
      type: "DateTime",
      nullable: true,
      description: "A retired key stays in the JWKS until then, when its last token has expired.",
    }),
  }),
});

// Each realm has keys of its own; they sign the tokens of its API resources, so the resource
// scopes govern them. Rotation takes nothing away: tokens signed before stay valid.
builder.queryField("signingKeys", (t) =>
  t.prismaField({
    type: ["SigningKey"],
    description: "The realm's signing keys, newest first.",
    authScopes: { scope: "resources:read" },
    resolve: (query, _root, _args, context) =>
      context.prisma.signingKey.findMany({ ...query, where: { realmId: realmOf(context) }, orderBy: { createdAt: "desc" }, take: 50 }),
  }),
);

const RotateSigningKeyPayload = builder.simpleObject("RotateSigningKeyPayload", {
  fields: (t) => ({
    kid: t.string({ description: "The new active key." }),
    retired: t.stringList({ description: "Keys retired now; still published until their tokens expire." }),
  }),
});

builder.mutationField("rotateSigningKey", (t) =>
  t.field({
    type: RotateSigningKeyPayload,
    description: "Replaces the realm's active signing key; the retired one stays published until its tokens expire.",
    authScopes: { scope: "resources:write" },
    resolve: async (_root, _args, context) => {
      const result = await context.prisma.$transaction(async (tx) => {
        const rotated = await rotateSigningKey(tx, realmOf(context), context.auth.keyMaking);
        await recordAudit(tx, actorOf(context), {
          action: "signing_key.rotate",
          targetType: "SigningKey",
          targetId: rotated.kid,
          changes: { activeKid: { before: rotated.retired, after: rotated.kid } },
        });
        return rotated;
      });
      context.auth.keys.invalidate();
      return result;
    },
  }),
);
