// Provider accounts linked to users (seed 002 `identities`): list, link, unlink, and the
// provider's tokens (seed 001 "Get User Provider Token"). Reading identities needs users:read,
// linking and unlinking users:write; the provider tokens need users:tokens, wherever they are read,
// and a caller holding every management scope their user holds (services/user-identities.ts).
// An account of a provider belongs to one user of the realm: linking it twice is a conflict.
import { assertMayReadProviderTokens, findUserProviderToken, linkUserIdentity, unlinkUserIdentity } from "../../services/user-identities.js";
import { actorOf, inCallersRealm } from "../actor.js";
import { builder } from "../builder.js";
import type { GraphQLContext } from "../context.js";
import { checkJsonSize, checkLength, limits } from "../input-limits.js";
import { writeErrors } from "./errors.js";
import { User, UserPayload } from "./user.js";

/** Provider tokens are opaque strings or JWTs; anything longer is not one. */
const providerTokenLength = 8_192;

async function providerToken(context: GraphQLContext, userId: string, token: string | null): Promise<string | null> {
  await assertMayReadProviderTokens(context.prisma, actorOf(context), userId);
  return token;
}

export const Identity = builder.prismaNode("Identity", {
  id: { field: "id" },
  findUnique: inCallersRealm,
  authScopes: (identity, context) => identity.realmId === context.principal?.realmId,
  select: { realmId: true },
  fields: (t) => ({
    user: t.relation("user"),
    provider: t.exposeString("provider", { description: 'The identity provider, such as "google-oauth2".' }),
    providerUserId: t.exposeString("providerUserId", { description: "The user's id at the provider." }),
    connection: t.exposeString("connection"),
    isSocial: t.exposeBoolean("isSocial"),
    profileData: t.field({
      type: "JSONObject",
      description: "The profile the provider returned.",
      select: { profileData: true },
      resolve: (identity) => identity.profileData as Record<string, unknown>,
    }),
    accessToken: t.string({
      nullable: true,
      description: "The provider's access token; needs the users:tokens scope.",
      authScopes: { scope: "users:tokens" },
      select: { userId: true, providerAccessToken: true },
      resolve: (identity, _args, context) => providerToken(context, identity.userId, identity.providerAccessToken),
    }),
    refreshToken: t.string({
      nullable: true,
      description: "The provider's refresh token; needs the users:tokens scope.",
      authScopes: { scope: "users:tokens" },
      select: { userId: true, providerRefreshToken: true },
      resolve: (identity, _args, context) => providerToken(context, identity.userId, identity.providerRefreshToken),
    }),
    createdAt: t.expose("createdAt", { type: "DateTime" }),
  }),
});

builder.prismaObjectField("User", "identities", (t) =>
  t.relation("identities", {
    description: "Provider accounts linked to the user, oldest first.",
    authScopes: { scope: "users:read" },
    query: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
  }),
);

const ProviderToken = builder.simpleObject("ProviderToken", {
  description: "A user's tokens at an identity provider.",
  authScopes: { scope: "users:tokens" },
  fields: (t) => ({
    identity: t.field({ type: Identity }),
    provider: t.string(),
    providerUserId: t.string(),
    accessToken: t.string({ nullable: true }),
    refreshToken: t.string({ nullable: true }),
  }),
});

builder.queryFields((t) => ({
  userProviderToken: t.field({
    type: ProviderToken,
    nullable: true,
    description: "The tokens of the user's most recently linked account at `provider`; null when there is none.",
    authScopes: { scope: "users:tokens" },
    args: { userId: t.arg.id({ required: true }), provider: t.arg.string({ required: true }) },
    resolve: async (_root, args, context) => {
      const identity = await findUserProviderToken(context.prisma, actorOf(context), { userId: String(args.userId), provider: args.provider });
      if (!identity) return null;
      return {
        identity,
        provider: identity.provider,
        providerUserId: identity.providerUserId,
        accessToken: identity.providerAccessToken,
        refreshToken: identity.providerRefreshToken,
      };
    },
  }),
}));

const LinkUserIdentityInput = builder.inputType("LinkUserIdentityInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    provider: t.string({ required: true, description: 'Such as "google-oauth2" or "github".' }),
    providerUserId: t.string({ required: true }),
    connection: t.string({ description: "The connection name; the provider when absent." }),
    isSocial: t.boolean({ description: "A social provider (default) rather than an enterprise one." }),
    profileData: t.field({ type: "JSONObject", description: "At most 16 KB of JSON." }),
    accessToken: t.string({ description: "The provider's access token, readable later with users:tokens." }),
    refreshToken: t.string({ description: "The provider's refresh token, readable later with users:tokens." }),
  }),
});

const UnlinkUserIdentityInput = builder.inputType("UnlinkUserIdentityInput", {
  fields: (t) => ({
    userId: t.id({ required: true }),
    identityId: t.id({ required: true }),
  }),
});

const IdentityPayload = builder.simpleObject("IdentityPayload", {
  fields: (t) => ({ identity: t.field({ type: Identity }), user: t.field({ type: User }) }),
});

function checkLinkInput(input: typeof LinkUserIdentityInput.$inferInput): void {
  checkLength("input.provider", input.provider, limits.nameLength);
  checkLength("input.providerUserId", input.providerUserId, limits.nameLength);
  checkLength("input.connection", input.connection, limits.nameLength);
  checkLength("input.accessToken", input.accessToken, providerTokenLength);
  checkLength("input.refreshToken", input.refreshToken, providerTokenLength);
  checkJsonSize("input.profileData", input.profileData);
}

builder.mutationFields((t) => ({
  linkUserIdentity: t.field({
    type: IdentityPayload,
    description: "Links a provider account to the user. An account already linked to a user of the realm is a conflict.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: LinkUserIdentityInput, required: true }) },
    resolve: (_root, { input }, context) => {
      checkLinkInput(input);
      return linkUserIdentity(context.prisma, actorOf(context), { ...input, userId: String(input.userId) });
    },
  }),
  unlinkUserIdentity: t.field({
    type: UserPayload,
    description: "Removes a linked provider account from the user, with its provider tokens.",
    authScopes: { scope: "users:write" },
    errors: { types: writeErrors },
    args: { input: t.arg({ type: UnlinkUserIdentityInput, required: true }) },
    resolve: (_root, { input }, context) =>
      unlinkUserIdentity(context.prisma, actorOf(context), { userId: String(input.userId), identityId: String(input.identityId) }),
  }),
}));
