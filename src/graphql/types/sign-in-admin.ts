// Administration of sign-in: lifting a lockout, and seed 001's "Update JWT".
import { verifyAccessToken } from "../../auth/access-token.js";
import { InvalidTokenError } from "../../auth/auth-errors.js";
import { ValidationError } from "../../services/errors.js";
import { unlockUserSignIn, updateUserJwt } from "../../services/sign-in-admin.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkJsonSize } from "../input-limits.js";
import { writeErrors } from "./errors.js";
import { User } from "./user.js";

/** The claims of an access token this server signed and that has not expired; else a ValidationError. */
async function verifiedToken(context: GraphQLContext, jwt: string) {
  try {
    return await verifyAccessToken(context.auth.keys, context.auth.settings, jwt, null);
  } catch (error) {
    if (error instanceof InvalidTokenError) throw new ValidationError("input.jwt", error.description);
    throw error;
  }
}

const UnlockUserSignInInput = builder.inputType("UnlockUserSignInInput", {
  fields: (t) => ({ userId: t.id({ required: true }) }),
});

const UnlockUserSignInPayload = builder.simpleObject("UnlockUserSignInPayload", {
  fields: (t) => ({ user: t.field({ type: User }) }),
});

const UpdateJwtInput = builder.inputType("UpdateJwtInput", {
  fields: (t) => ({
    jwt: t.string({ required: true, description: "A valid access token of a user of this realm." }),
    customClaims: t.field({
      type: "JSONObject",
      required: true,
      description: "Namespaced claims only: each name an absolute http:// or https:// URL, such as https://example.com/plan; at most 4 KB.",
    }),
  }),
});

const UpdateJwtPayload = builder.simpleObject("UpdateJwtPayload", {
  fields: (t) => ({ jwt: t.string({ description: "The same token re-signed with the claims added; same expiry." }) }),
});

builder.mutationFields((t) => ({
  unlockUserSignIn: t.field({
    type: UnlockUserSignInPayload,
    description: "Lifts a brute-force lockout now: earlier failed sign-ins stop counting.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UnlockUserSignInInput, required: true }) },
    resolve: (_root, { input }, context) => unlockUserSignIn(context.prisma, actorOf(context), { userId: String(input.userId) }),
  }),
  updateJwt: t.field({
    type: UpdateJwtPayload,
    description: "Seed 001 Update JWT: adds custom claims to a user's valid access token, keeping its expiry.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateJwtInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      checkJsonSize("input.customClaims", input.customClaims, 4 * 1024);
      const claims = await verifiedToken(context, input.jwt);
      const sign = (signed: Record<string, unknown>) => context.auth.keys.sign(realmOf(context), "at+jwt", signed);
      return { jwt: await updateUserJwt(context.prisma, actorOf(context), { claims, customClaims: input.customClaims }, sign) };
    },
  }),
}));
