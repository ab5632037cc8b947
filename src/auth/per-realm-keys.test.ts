// Each realm signs with keys of its own. API indicators are unique per realm only, so realm B can
// name an API exactly as realm A does; these tests mint tokens at realm B's endpoints, as its
// administrator can, and present them wherever realm A's keys decide.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeJwt, exportJWK, generateKeyPair, importJWK, jwtVerify, SignJWT, type JSONWebKeySet, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, requestToken, tokenFor, type ClientCredentials } from "../../test/support/api-client.js";
import { startTestGateway, testOrigin, type TestGateway } from "../../test/support/gateway.js";
import { openEmptyDatabase } from "../../test/support/test-database.js";
import { loadConfig } from "../config.js";
import { applyMigrations, migrationsDir } from "../db/migrator.js";
import { prepareDatabase } from "../prepare-database.js";
import { InvalidTokenError } from "./auth-errors.js";
import { createAuthServices } from "./auth-services.js";
import { managementIndicator } from "../services/management-api.js";

/** Realm A's own API; realm B declares an API with the same indicator. */
const ordersApi = "https://orders.example.test";

let gateway: TestGateway;
let realmA: { id: string; adminToken: string };
let realmB: { id: string; adminToken: string };

/** Declares the API in the realm and returns an m2m client that may get tokens for it. */
async function clientForApi(adminToken: string, indicator: string): Promise<ClientCredentials> {
  const resource = await graphqlOk(
    gateway,
    adminToken,
    `mutation($indicator: String!) { createResource(input: { name: "Orders", indicator: $indicator }) { ... on ResourcePayload { resource { id } } } }`,
    { indicator },
  );
  const scope = await graphqlOk(
    gateway,
    adminToken,
    `mutation($id: ID!) { createScope(input: { resourceId: $id, name: "read:orders" }) { ... on ScopePayload { scope { id } } } }`,
    { id: resource.createResource.resource.id },
  );
  const role = await graphqlOk(
    gateway,
    adminToken,
    `mutation($scope: ID!) { createRole(input: { name: "orders reader", scopeIds: [$scope] }) { ... on RolePayload { role { id } } } }`,
    { scope: scope.createScope.scope.id },
  );
  const app = await graphqlOk(
    gateway,
    adminToken,
    `mutation { createApplication(input: { name: "orders job", type: m2m }) { ... on ApplicationSecretPayload { application { id clientId } clientSecret } } }`,
  );
  await graphqlOk(
    gateway,
    adminToken,
    `mutation($app: ID!, $role: ID!) { assignRolesToApplication(input: { applicationId: $app, roleIds: [$role] }) { __typename } }`,
    { app: app.createApplication.application.id, role: role.createRole.role.id },
  );
  return { clientId: app.createApplication.application.clientId, clientSecret: app.createApplication.clientSecret };
}

async function apiToken(realmId: string, client: ClientCredentials): Promise<string> {
  const path = realmId === gateway.defaultRealmId ? "/oauth/token" : `/oauth2/${realmId}/token`;
  const response = await requestToken(
    gateway,
    { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, audience: ordersApi },
    { path },
  );
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}

async function jwksAt(path: string): Promise<JSONWebKeySet> {
  const response = await gateway.request(path);
  expect(response.status).toBe(200);
  return response.json();
}

const kids = (jwks: JSONWebKeySet) => jwks.keys.map((key) => key.kid!);
const realmQuery = "{ realm { id } }";

beforeAll(async () => {
  gateway = await startTestGateway();
  realmA = { id: gateway.defaultRealmId, adminToken: await tokenFor(gateway) };
  const created = await graphqlOk(
    gateway,
    realmA.adminToken,
    `mutation { createRealm(input: { name: "beta" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
  );
  const id = created.createRealm.realm.id;
  const admin = { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret };
  realmB = { id, adminToken: await tokenFor(gateway, admin, { realmId: id }) };
});
afterAll(() => gateway.close());

describe("a realm's tokens verify with its own keys only", () => {
  it("a token realm B mints for realm A's API indicator fails verification with realm A's JWKS", async () => {
    const realmAClient = await clientForApi(realmA.adminToken, ordersApi);
    const realmBClient = await clientForApi(realmB.adminToken, ordersApi);
    const minted = await apiToken(realmB.id, realmBClient);

    // Realm A's API checks the signature against realm A's published keys and its own audience,
    // as a resource server does; both of realm A's JWKS addresses.
    for (const path of ["/.well-known/jwks.json", `/oauth2/${realmA.id}/.well-known/jwks.json`]) {
      const realmAKeys = createLocalJWKSet(await jwksAt(path));
      await expect(jwtVerify(minted, realmAKeys, { audience: ordersApi }), path).rejects.toMatchObject({ code: "ERR_JWKS_NO_MATCHING_KEY" });
      // Realm A's own token for its API verifies (control).
      const genuine = await jwtVerify(await apiToken(realmA.id, realmAClient), realmAKeys, { audience: ordersApi, issuer: `${testOrigin}/` });
      expect(genuine.payload.realm).toBe(realmA.id);
    }
    // Realm B's token is good where it belongs: with realm B's keys and issuer.
    const realmBKeys = createLocalJWKSet(await jwksAt(`/oauth2/${realmB.id}/.well-known/jwks.json`));
    const own = await jwtVerify(minted, realmBKeys, { audience: ordersApi, issuer: `${testOrigin}/oauth2/${realmB.id}` });
    expect(own.payload.realm).toBe(realmB.id);
  });

  it("publishes disjoint key sets, each realm its own", async () => {
    const realmAKids = kids(await jwksAt("/.well-known/jwks.json"));
    const realmBKids = kids(await jwksAt(`/oauth2/${realmB.id}/.well-known/jwks.json`));
    expect(realmAKids.length).toBeGreaterThan(0);
    expect(realmBKids.length).toBeGreaterThan(0);
    expect(realmAKids.filter((kid) => realmBKids.includes(kid))).toEqual([]);
  });

  it("refuses at realm A a realm-B token whose claims were rewritten to realm A", async () => {
    const [header, payload, signature] = realmB.adminToken.split(".") as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString());
    const rewritten = Buffer.from(JSON.stringify({ ...claims, realm: realmA.id, iss: `${testOrigin}/` })).toString("base64url");
    const result = await graphql(gateway, `${header}.${rewritten}.${signature}`, realmQuery);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.extensions?.code).toBe("invalid_token");
  });

  it("refuses at realm A a token signed with a key of realm B that claims realm A (a leaked realm-B key signs for realm B only)", async () => {
    const [realmBKid] = kids(await jwksAt(`/oauth2/${realmB.id}/.well-known/jwks.json`));
    const realmBKey = await gateway.database.prisma.signingKey.findUniqueOrThrow({ where: { kid: realmBKid } });
    const now = Math.floor(Date.now() / 1000);
    const forged = await new SignJWT({ sub: "forger", client_id: "forger", scope: "roles:read", realm: realmA.id, jti: "forged" })
      .setProtectedHeader({ alg: realmBKey.alg, typ: "at+jwt", kid: realmBKey.kid })
      .setIssuer(`${testOrigin}/`)
      .setAudience(managementIndicator)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importJWK(realmBKey.privateJwk as JWK, realmBKey.alg));
    const result = await graphql(gateway, forged, realmQuery);
    expect(result.status).toBe(401);
    expect(result.errors?.[0]?.message).toMatch(/not signed by a key of its realm/);
    // The same key signing for its own realm is accepted (control).
    // Its subject is realm B's real admin application: tokens of an unknown application are refused anyway.
    const { sub, client_id, gen } = decodeJwt(realmB.adminToken);
    const own = await new SignJWT({ sub, client_id, gen, scope: "roles:read", realm: realmB.id, jti: "own" })
      .setProtectedHeader({ alg: realmBKey.alg, typ: "at+jwt", kid: realmBKey.kid })
      .setIssuer(`${testOrigin}/oauth2/${realmB.id}`)
      .setAudience(managementIndicator)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(await importJWK(realmBKey.privateJwk as JWK, realmBKey.alg));
    expect((await graphqlOk(gateway, own, realmQuery)).realm.id).toBe(realmB.id);
  });
});

describe("signing key rotation, per realm", () => {
  it("rotates the caller's realm's key only; the other realm keeps its keys and tokens of both stay valid", async () => {
    const realmAKidsBefore = kids(await jwksAt("/.well-known/jwks.json"));
    const realmBKidsBefore = kids(await jwksAt(`/oauth2/${realmB.id}/.well-known/jwks.json`));
    const rotated = (await graphqlOk(gateway, realmB.adminToken, "mutation { rotateSigningKey { kid retired } }")).rotateSigningKey;
    expect(rotated.retired).toEqual(realmBKidsBefore);

    expect(kids(await jwksAt("/.well-known/jwks.json"))).toEqual(realmAKidsBefore);
    expect(kids(await jwksAt(`/oauth2/${realmB.id}/.well-known/jwks.json`)).sort()).toEqual([...realmBKidsBefore, rotated.kid].sort());
    expect((await graphqlOk(gateway, realmB.adminToken, realmQuery)).realm.id).toBe(realmB.id);
    expect((await graphqlOk(gateway, realmA.adminToken, realmQuery)).realm.id).toBe(realmA.id);

    const listed = await graphqlOk(gateway, realmB.adminToken, "{ signingKeys { kid status } }");
    expect(listed.signingKeys.map((key: { kid: string }) => key.kid).sort()).toEqual([...realmBKidsBefore, rotated.kid].sort());
  });
});

describe("the upgrade from one shared key set", () => {
  const perRealmKeys = "20261205100000_per_realm_signing_keys";

  it("keeps the default realm's tokens valid and gives every other realm keys of its own", { timeout: 120_000 }, async () => {
    // A database as the version before left it: two realms and the one key set they shared.
    const database = await openEmptyDatabase();
    const before = await mkdtemp(path.join(tmpdir(), "usergate-migrations-"));
    try {
      await cp(migrationsDir, before, { recursive: true, filter: (source) => !source.includes(perRealmKeys) });
      await database.withMigrationLock((session) => applyMigrations(session, before));
      const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
      const kid = "sharedkey";
      await database.withMigrationLock(async (session) => {
        await session.exec(`INSERT INTO "Realm" (id, name, "isAdmin", "updatedAt") VALUES ('rlm_default', 'default', true, now()), ('rlm_beta', 'beta', false, now())`);
        // The applications the tokens below were issued to (tokens of unknown applications are refused).
        await session.exec(`INSERT INTO "Application" (id, "realmId", name, type, "clientId", "updatedAt")
          VALUES ('app_job', 'rlm_default', 'job', 'm2m', 'job', now()), ('app_beta_job', 'rlm_beta', 'job', 'm2m', 'beta-job', now())`);
        await session.query(`INSERT INTO "SigningKey" (id, kid, alg, "publicJwk", "privateJwk") VALUES ($1, $2, 'ES256', $3, $4)`, [
          `key_${kid}`,
          kid,
          JSON.stringify({ ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" }),
          JSON.stringify({ ...(await exportJWK(privateKey)), kid, alg: "ES256" }),
        ]);
      });
      const signedBefore = (realm: string, issuer: string, clientId: string) => {
        const now = Math.floor(Date.now() / 1000);
        return new SignJWT({ sub: clientId, client_id: clientId, scope: "roles:read", realm, jti: `before-${realm}` })
          .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid })
          .setIssuer(issuer)
          .setAudience(managementIndicator)
          .setIssuedAt(now)
          .setExpirationTime(now + 600)
          .sign(privateKey);
      };
      const defaultToken = await signedBefore("rlm_default", `${testOrigin}/`, "job");
      const betaToken = await signedBefore("rlm_beta", `${testOrigin}/oauth2/rlm_beta`, "beta-job");

      const config = loadConfig({ PUBLIC_URL: testOrigin });
      const { migrations } = await prepareDatabase(database, config);
      expect(migrations.applied).toEqual([perRealmKeys]);
      const auth = createAuthServices(database, { publicUrl: testOrigin, defaultRealmId: "rlm_default" }, config);

      expect((await auth.authenticate(`Bearer ${defaultToken}`))?.realmId).toBe("rlm_default");
      expect(kids(await auth.keys.jwks("rlm_default"))).toEqual([kid]);
      // The shared key could sign for any realm; beta no longer trusts it (its tokens must be
      // fetched again) and publishes a key of its own.
      await expect(auth.authenticate(`Bearer ${betaToken}`)).rejects.toBeInstanceOf(InvalidTokenError);
      const betaKids = kids(await auth.keys.jwks("rlm_beta"));
      expect(betaKids).toHaveLength(1);
      expect(betaKids).not.toContain(kid);
    } finally {
      await rm(before, { recursive: true, force: true });
      await database.close();
    }
  });
});
