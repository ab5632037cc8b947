import { rotateSigningKey } from "../../auth/signing-keys.js";
import { recordAudit } from "../../services/audit.js";
import { actorOf } from "../actor.js";
import { builder } from "../builder.js";

export const SigningKey = builder.prismaObject("SigningKey", {
  description: "A token signing key. Only public parts are exposed.",
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

// Signing keys serve every realm, so only the admin realm manages them.
builder.queryField("signingKeys", (t) =>
  t.prismaField({
    type: ["SigningKey"],
    authScopes: { $all: { adminRealm: true, scope: "realms:read" } },
    resolve: (query, _root, _args, context) =>
      context.prisma.signingKey.findMany({ ...query, orderBy: { createdAt: "desc" }, take: 50 }),
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
    authScopes: { $all: { adminRealm: true, scope: "realms:write" } },
    resolve: async (_root, _args, context) => {
      const result = await context.prisma.$transaction(async (tx) => {
        const rotated = await rotateSigningKey(tx, context.auth.signingAlg);
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
