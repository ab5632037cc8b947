// Administration of sign-in: lifting a lockout, and seed 001's "Update JWT".
import { verifyAccessToken } from "../../auth/access-token.js";
import { InvalidTokenError } from "../../auth/auth-errors.js";
import { recordAudit } from "../../services/audit.js";
import { ValidationError } from "../../services/errors.js";
import { actorOf, realmOf } from "../actor.js";
import { builder } from "../builder.js";
import { checkJsonSize } from "../input-limits.js";
import { findUserInRealm } from "../realm-lookups.js";
import { writeErrors } from "./errors.js";
import { User } from "./user.js";

/** Claims that say who issued a token, to whom, for what and how long: never overwritten. */
const reservedClaims = new Set([
  "iss", "sub", "aud", "exp", "nbf", "iat", "jti", "client_id", "azp", "scope", "scp",
  "realm", "sid", "roles", "auth_time", "acr", "amr", "cnf", "typ", "nonce",
]);

const UnlockUserSignInInput = builder.inputType("UnlockUserSignInInput", {
  fields: (t) => ({ userId: t.id({ required: true }) }),
});

const UnlockUserSignInPayload = builder.simpleObject("UnlockUserSignInPayload", {
  fields: (t) => ({ user: t.field({ type: User }) }),
});

const UpdateJwtInput = builder.inputType("UpdateJwtInput", {
  fields: (t) => ({
    jwt: t.string({ required: true, description: "A valid access token of a user of this realm." }),
    customClaims: t.field({ type: "JSONObject", required: true }),
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
    resolve: async (_root, { input }, context) => {
      const realmId = realmOf(context);
      const user = await context.prisma.$transaction(async (tx) => {
        const before = await findUserInRealm(tx, String(input.userId), realmId);
        const unlocked = await tx.user.update({ where: { id: before.id }, data: { signInUnlockedAt: new Date() } });
        await recordAudit(tx, actorOf(context), {
          action: "user.sign_in.unlock",
          targetType: "User",
          targetId: before.id,
          changes: { signInUnlockedAt: { before: before.signInUnlockedAt, after: unlocked.signInUnlockedAt } },
        });
        return unlocked;
      });
      return { user };
    },
  }),
  updateJwt: t.field({
    type: UpdateJwtPayload,
    description: "Seed 001 Update JWT: adds custom claims to a user's valid access token, keeping its expiry.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UpdateJwtInput, required: true }) },
    resolve: async (_root, { input }, context) => {
      const reserved = Object.keys(input.customClaims).find((claim) => reservedClaims.has(claim));
      if (reserved) throw new ValidationError(`input.customClaims.${reserved}`, `${reserved} is a reserved claim`);
      checkJsonSize("input.customClaims", input.customClaims, 4 * 1024);
      let claims;
      try {
        claims = await verifyAccessToken(context.auth.keys, context.auth.settings, input.jwt, null);
      } catch (error) {
        if (error instanceof InvalidTokenError) throw new ValidationError("input.jwt", error.description);
        throw error;
      }
      if (claims.realm !== realmOf(context) || !claims.sid) {
        throw new ValidationError("input.jwt", "The token is not an access token of a user of this realm");
      }
      // The same claims (expiry included) plus the custom ones, signed with the realm's active key.
      const jwt = await context.auth.keys.sign(claims.realm, "at+jwt", { ...claims, ...input.customClaims });
      await context.prisma.$transaction((tx) =>
        recordAudit(tx, actorOf(context), {
          action: "user.jwt.update",
          targetType: "User",
          targetId: claims.sub,
          changes: { customClaims: { before: null, after: Object.keys(input.customClaims) } },
        }),
      );
      return { jwt };
    },
  }),
}));
