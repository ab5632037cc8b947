// Identities through HTTP: list, link, unlink, and provider tokens behind their own scope.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { auditEventCount, createOtherRealm, expectAccessDenied, insertAdministratorUser, insertUser } from "../../../test/support/directory-rows.js";
import { adminClient, startTestGateway, type TestGateway } from "../../../test/support/gateway.js";

let gateway: TestGateway;
let admin: string;
let other: { realmId: string; token: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  admin = await tokenFor(gateway);
  other = await createOtherRealm(gateway, admin);
});
afterAll(() => gateway.close());

const link = `mutation($input: LinkUserIdentityInput!) { linkUserIdentity(input: $input) {
  __typename
  ... on IdentityPayload { identity { id provider providerUserId connection isSocial profileData user { id } } user { id identities { provider } } }
  ... on NotFoundError { entity id }
  ... on ConflictError { conflictField: field }
  ... on ValidationError { field }
} }`;
const unlink = `mutation($input: UnlinkUserIdentityInput!) { unlinkUserIdentity(input: $input) {
  __typename
  ... on UserPayload { user { identities { id } } }
  ... on NotFoundError { entity id }
} }`;
const identitiesQuery = `query($id: ID!) { user(id: $id) { identities { id provider providerUserId createdAt } } }`;
const providerToken = `query($id: ID!, $provider: String!) { userProviderToken(userId: $id, provider: $provider) {
  provider providerUserId accessToken refreshToken identity { id } } }`;

async function linkIdentity(userId: string, provider: string, providerUserId: string, extra: Record<string, unknown> = {}) {
  const result = await graphqlOk(gateway, admin, link, { input: { userId, provider, providerUserId, ...extra } });
  expect(result.linkUserIdentity.__typename).toBe("IdentityPayload");
  return result.linkUserIdentity.identity;
}

describe("linkUserIdentity", () => {
  it("links a provider account, lists it on the user, and records it without its tokens", async () => {
    const user = await insertUser(gateway);
    const result = await graphqlOk(gateway, admin, link, {
      input: {
        userId: user.id,
        provider: "google-oauth2",
        providerUserId: "1093",
        profileData: { locale: "en" },
        accessToken: "ya29.secret-access",
        refreshToken: "1//secret-refresh",
      },
    });
    expect(result.linkUserIdentity).toMatchObject({
      __typename: "IdentityPayload",
      identity: { provider: "google-oauth2", providerUserId: "1093", connection: "google-oauth2", isSocial: true, profileData: { locale: "en" }, user: { id: user.id } },
      user: { id: user.id, identities: [{ provider: "google-oauth2" }] },
    });
    const identityId = result.linkUserIdentity.identity.id;
    expect(identityId).toMatch(/^idn_/);
    const listed = await graphqlOk(gateway, admin, identitiesQuery, { id: user.id });
    expect(listed.user.identities).toEqual([expect.objectContaining({ id: identityId, provider: "google-oauth2", providerUserId: "1093" })]);
    const node = await graphqlOk(gateway, admin, `query($id: ID!) { node(id: $id) { ... on Identity { provider } } }`, { id: identityId });
    expect(node.node).toEqual({ provider: "google-oauth2" });
    expect((await graphqlOk(gateway, other.token, `query($id: ID!) { node(id: $id) { id } }`, { id: identityId })).node).toBeNull();
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id } });
    expect(event).toMatchObject({ action: "user.identity.link", changes: { [`identities.${identityId}`]: { before: null, after: "google-oauth2|1093" } } });
    expect(JSON.stringify(event)).not.toContain("secret");
  });

  it("refuses an account already linked to a user of the realm, but not of another realm", async () => {
    const [first, second] = [await insertUser(gateway), await insertUser(gateway)];
    await linkIdentity(first.id, "github", "42");
    const before = await auditEventCount(gateway);
    const conflict = await graphqlOk(gateway, admin, link, { input: { userId: second.id, provider: "github", providerUserId: "42" } });
    expect(conflict.linkUserIdentity).toEqual({ __typename: "ConflictError", conflictField: "input.providerUserId" });
    const twice = await graphqlOk(gateway, admin, link, { input: { userId: first.id, provider: "github", providerUserId: "42" } });
    expect(twice.linkUserIdentity.__typename).toBe("ConflictError");
    expect(await gateway.database.prisma.identity.count({ where: { userId: second.id } })).toBe(0);
    expect(await auditEventCount(gateway)).toBe(before);
    const theirUser = await insertUser(gateway, { realmId: other.realmId });
    const elsewhere = await graphqlOk(gateway, other.token, link, { input: { userId: theirUser.id, provider: "github", providerUserId: "42" } });
    expect(elsewhere.linkUserIdentity.__typename).toBe("IdentityPayload");
  });

  it("validates its input and answers foreign users as not found, writing nothing", async () => {
    const user = await insertUser(gateway);
    const foreignUser = await insertUser(gateway, { realmId: other.realmId });
    const before = await auditEventCount(gateway);
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ provider: " ", providerUserId: "1" }, "input.provider"],
      [{ provider: "p", providerUserId: "x".repeat(201) }, "input.providerUserId"],
      [{ provider: "p", providerUserId: "1", accessToken: "t".repeat(8_193) }, "input.accessToken"],
      [{ provider: "p", providerUserId: "1", profileData: { big: "x".repeat(17_000) } }, "input.profileData"],
    ];
    for (const [input, field] of cases) {
      const result = await graphqlOk(gateway, admin, link, { input: { userId: user.id, ...input } });
      expect(result.linkUserIdentity).toEqual({ __typename: "ValidationError", field });
    }
    const foreign = await graphqlOk(gateway, admin, link, { input: { userId: foreignUser.id, provider: "p", providerUserId: "1" } });
    expect(foreign.linkUserIdentity).toEqual({ __typename: "NotFoundError", entity: "User", id: foreignUser.id });
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read users:tokens" });
    expectAccessDenied(await graphql(gateway, reader, link, { input: { userId: user.id, provider: "p", providerUserId: "1" } }));
    expect(await gateway.database.prisma.identity.count({ where: { userId: { in: [user.id, foreignUser.id] } } })).toBe(0);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("unlinkUserIdentity", () => {
  it("removes the identity and records it", async () => {
    const user = await insertUser(gateway);
    const identity = await linkIdentity(user.id, "apple", "a-1");
    const kept = await linkIdentity(user.id, "github", "g-1");
    const result = await graphqlOk(gateway, admin, unlink, { input: { userId: user.id, identityId: identity.id } });
    expect(result.unlinkUserIdentity).toEqual({ __typename: "UserPayload", user: { identities: [{ id: kept.id }] } });
    const event = await gateway.database.prisma.auditEvent.findFirstOrThrow({ where: { targetId: user.id, action: "user.identity.unlink" } });
    expect(event.changes).toEqual({ [`identities.${identity.id}`]: { before: "apple|a-1", after: null } });
  });

  it("answers another user's identity, unknown ids and foreign realms as not found", async () => {
    const [owner, someone] = [await insertUser(gateway), await insertUser(gateway)];
    const identity = await linkIdentity(owner.id, "apple", "owner-1");
    const before = await auditEventCount(gateway);
    const wrongUser = await graphqlOk(gateway, admin, unlink, { input: { userId: someone.id, identityId: identity.id } });
    expect(wrongUser.unlinkUserIdentity).toEqual({ __typename: "NotFoundError", entity: "Identity", id: identity.id });
    const unknown = await graphqlOk(gateway, admin, unlink, { input: { userId: owner.id, identityId: "idn_nothing" } });
    expect(unknown.unlinkUserIdentity.__typename).toBe("NotFoundError");
    const theirs = await graphqlOk(gateway, other.token, unlink, { input: { userId: owner.id, identityId: identity.id } });
    expect(theirs.unlinkUserIdentity).toEqual({ __typename: "NotFoundError", entity: "User", id: owner.id });
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
    expectAccessDenied(await graphql(gateway, reader, unlink, { input: { userId: owner.id, identityId: identity.id } }));
    expect(await gateway.database.prisma.identity.count({ where: { id: identity.id } })).toBe(1);
    expect(await auditEventCount(gateway)).toBe(before);
  });
});

describe("provider tokens", () => {
  it("are readable with users:tokens, through userProviderToken and on the identity", async () => {
    const user = await insertUser(gateway);
    await linkIdentity(user.id, "google-oauth2", "old", { accessToken: "old-access" });
    const latest = await linkIdentity(user.id, "google-oauth2", "new", { accessToken: "new-access", refreshToken: "new-refresh" });
    const tokens = await graphqlOk(gateway, admin, providerToken, { id: user.id, provider: "google-oauth2" });
    expect(tokens.userProviderToken).toEqual({
      provider: "google-oauth2",
      providerUserId: "new",
      accessToken: "new-access",
      refreshToken: "new-refresh",
      identity: { id: latest.id },
    });
    const none = await graphqlOk(gateway, admin, providerToken, { id: user.id, provider: "github" });
    expect(none.userProviderToken).toBeNull();
    const onIdentity = await graphqlOk(gateway, admin, `query($id: ID!) { user(id: $id) { identities { accessToken refreshToken } } }`, { id: user.id });
    expect(onIdentity.user.identities).toEqual([
      { accessToken: "old-access", refreshToken: null },
      { accessToken: "new-access", refreshToken: "new-refresh" },
    ]);
  });

  it("are refused without users:tokens, even with users:read, and hidden from another realm", async () => {
    const user = await insertUser(gateway);
    await linkIdentity(user.id, "github", "secretive", { accessToken: "gho_secret" });
    const reader = await tokenFor(gateway, adminClient, { scope: "users:read" });
    expectAccessDenied(await graphql(gateway, reader, providerToken, { id: user.id, provider: "github" }));
    const viaIdentity = await graphql(gateway, reader, `query($id: ID!) { user(id: $id) { identities { provider accessToken } } }`, { id: user.id });
    expect(viaIdentity.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
    expect(JSON.stringify(viaIdentity.data)).not.toContain("gho_secret");
    const withoutTokens = await graphqlOk(gateway, reader, `query($id: ID!) { user(id: $id) { identities { provider } } }`, { id: user.id });
    expect(withoutTokens.user.identities).toEqual([{ provider: "github" }]);
    const theirs = await graphqlOk(gateway, other.token, providerToken, { id: user.id, provider: "github" });
    expect(theirs.userProviderToken).toBeNull();
  });
});

describe("an administrator's provider accounts (target ceiling)", () => {
  // Reading an administrator's provider tokens, or linking an account of one's own to them, is
  // signing in as them; unlinking takes their way in away. Only a caller holding all they hold may.
  const identityTokens = `query($id: ID!) { user(id: $id) { identities { accessToken refreshToken } } }`;

  it("are out of reach of a users:write users:tokens token, which still reaches a plain user's", async () => {
    const limited = await tokenFor(gateway, adminClient, { scope: "users:read users:write users:tokens" });
    const [chief, plain] = [await insertAdministratorUser(gateway), await insertUser(gateway)];
    const chiefIdentity = await linkIdentity(chief.id, "github", "chief", { accessToken: "chief-access", refreshToken: "chief-refresh" });
    const plainIdentity = await linkIdentity(plain.id, "github", "plain", { accessToken: "plain-access" });
    const before = await auditEventCount(gateway);

    expectAccessDenied(await graphql(gateway, limited, providerToken, { id: chief.id, provider: "github" }));
    const viaIdentity = await graphql(gateway, limited, identityTokens, { id: chief.id });
    expect(viaIdentity.errors?.map((error) => error.extensions?.code)).toContain("insufficient_scope");
    expect(JSON.stringify(viaIdentity.data)).not.toContain("chief-");
    expectAccessDenied(await graphql(gateway, limited, link, { input: { userId: chief.id, provider: "google-oauth2", providerUserId: "attacker" } }));
    expectAccessDenied(await graphql(gateway, limited, unlink, { input: { userId: chief.id, identityId: chiefIdentity.id } }));
    expect(await gateway.database.prisma.identity.findMany({ where: { userId: chief.id }, select: { id: true } })).toEqual([{ id: chiefIdentity.id }]);
    expect(await auditEventCount(gateway)).toBe(before);

    const plainTokens = await graphqlOk(gateway, limited, providerToken, { id: plain.id, provider: "github" });
    expect(plainTokens.userProviderToken).toMatchObject({ accessToken: "plain-access" });
    expect((await graphqlOk(gateway, limited, identityTokens, { id: plain.id })).user.identities).toEqual([{ accessToken: "plain-access", refreshToken: null }]);
    const linked = await graphqlOk(gateway, limited, link, { input: { userId: plain.id, provider: "google-oauth2", providerUserId: "plain-g" } });
    expect(linked.linkUserIdentity.__typename).toBe("IdentityPayload");
    const unlinked = await graphqlOk(gateway, limited, unlink, { input: { userId: plain.id, identityId: plainIdentity.id } });
    expect(unlinked.unlinkUserIdentity.__typename).toBe("UserPayload");

    const tokens = await graphqlOk(gateway, admin, providerToken, { id: chief.id, provider: "github" });
    expect(tokens.userProviderToken).toMatchObject({ accessToken: "chief-access", refreshToken: "chief-refresh" });
  });
});
