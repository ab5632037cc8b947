import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, requestToken, tokenFor } from "../../test/support/api-client.js";
import { adminClient, startTestGateway, testOrigin, type TestGateway } from "../../test/support/gateway.js";
import { managementIndicator } from "../services/management-api.js";

let gateway: TestGateway;
let adminToken: string;
let readerClient: { clientId: string; clientSecret: string };
let webClient: { clientId: string; clientSecret: string };
let otherRealm: { id: string; clientId: string; clientSecret: string };

const credentials = (client: { clientId: string; clientSecret: string }) => ({
  client_id: client.clientId,
  client_secret: client.clientSecret,
});

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  // An application created through the API, holding users:read and roles:read only.
  const scopes = await graphqlOk(gateway, adminToken, `{ resources(first: 10) { edges { node { isManagement scopes { id name } } } } }`);
  const management = scopes.resources.edges.find((edge: any) => edge.node.isManagement).node;
  const scopeIds = management.scopes.filter((s: any) => ["users:read", "roles:read"].includes(s.name)).map((s: any) => s.id);
  const role = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`,
    { input: { name: "reader", scopeIds } },
  );
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    { input: { name: "reporting job", type: "m2m", roleIds: [role.createRole.role.id] } },
  );
  readerClient = { clientId: created.createApplication.application.clientId, clientSecret: created.createApplication.clientSecret };
  const web = await graphqlOk(
    gateway,
    adminToken,
    `mutation { createApplication(input: { name: "web", type: web }) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
  );
  webClient = { clientId: web.createApplication.application.clientId, clientSecret: web.createApplication.clientSecret };
  const realm = await graphqlOk(
    gateway,
    adminToken,
    `mutation { createRealm(input: { name: "acme" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
  );
  otherRealm = {
    id: realm.createRealm.realm.id,
    clientId: realm.createRealm.adminClientId,
    clientSecret: realm.createRealm.adminClientSecret,
  };
});
afterAll(() => gateway.close());

describe("POST /oauth/token with client_credentials", () => {
  it("issues an RFC 9068 JWT carrying every granted scope when none is asked for", async () => {
    const response = await requestToken(gateway, { grant_type: "client_credentials", ...credentials(readerClient) });
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = await response.json();
    expect(body).toEqual({ access_token: expect.any(String), token_type: "Bearer", expires_in: 3600, scope: "roles:read users:read" });
    const header = decodeProtectedHeader(body.access_token);
    expect(header).toMatchObject({ alg: "ES256", typ: "at+jwt", kid: expect.any(String) });
    const claims = decodeJwt(body.access_token);
    expect(claims).toMatchObject({
      iss: `${testOrigin}/`,
      sub: readerClient.clientId,
      aud: managementIndicator,
      client_id: readerClient.clientId,
      scope: "roles:read users:read",
      realm: gateway.defaultRealmId,
      jti: expect.any(String),
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
  });

  it("accepts a JSON body and the Auth0-style audience {PUBLIC_URL}/api/v2/", async () => {
    const response = await gateway.request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: "client_credentials", ...credentials(readerClient), audience: `${testOrigin}/api/v2/` }),
    });
    expect(response.status).toBe(200);
    const { access_token } = await response.json();
    expect(decodeJwt(access_token).aud).toBe(`${testOrigin}/api/v2/`);
  });

  it("authenticates with HTTP Basic, whose parts are form-url-encoded before base64 (RFC 6749 §2.3.1)", async () => {
    const encoded = (value: string) => encodeURIComponent(value).replace(/-/g, "%2D");
    const basic = Buffer.from(`${encoded(adminClient.clientId)}:${encoded(adminClient.clientSecret)}`).toString("base64");
    const response = await requestToken(gateway, { grant_type: "client_credentials" }, { headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(200);
  });

  it("narrows the token to the scopes asked for at the realm endpoint (seed 003)", async () => {
    const response = await requestToken(
      gateway,
      { grant_type: "client_credentials", ...credentials(readerClient), scope: "users:read" },
      { path: `/oauth2/${gateway.defaultRealmId}/token` },
    );
    expect(response.status).toBe(200);
    expect((await response.json()).scope).toBe("users:read");
  });
});

describe("token endpoint errors (RFC 6749 §5.2)", () => {
  const cases: Array<[string, Record<string, string>, number, string]> = [
    ["no grant_type", { client_id: "x", client_secret: "y" }, 400, "invalid_request"],
    ["an unsupported grant", { grant_type: "urn:example:magic" }, 400, "unsupported_grant_type"],
    ["no client credentials", { grant_type: "client_credentials" }, 401, "invalid_client"],
    ["a wrong secret", { grant_type: "client_credentials", client_id: adminClient.clientId, client_secret: "wrong" }, 401, "invalid_client"],
    ["an unknown client", { grant_type: "client_credentials", client_id: "nobody", client_secret: "wrong" }, 401, "invalid_client"],
  ];
  it.each(cases)("answers %s with %i %s", async (_label, params, status, error) => {
    const response = await requestToken(gateway, params);
    expect(response.status).toBe(status);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await response.json()).toEqual({ error, error_description: expect.any(String) });
  });

  it("asks Basic clients to authenticate again with WWW-Authenticate", async () => {
    const basic = Buffer.from(`${adminClient.clientId}:wrong`).toString("base64");
    const response = await requestToken(gateway, { grant_type: "client_credentials" }, { headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toMatch(/^Basic /);
    expect((await response.json()).error).toBe("invalid_client");
  });

  it("refuses two authentication methods at once", async () => {
    const basic = Buffer.from(`${adminClient.clientId}:${adminClient.clientSecret}`).toString("base64");
    const response = await requestToken(
      gateway,
      { grant_type: "client_credentials", ...credentials(adminClient) },
      { headers: { authorization: `Basic ${basic}` } },
    );
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("invalid_request");
  });

  it("refuses a scope the client does not hold instead of widening or dropping it", async () => {
    const response = await requestToken(gateway, { grant_type: "client_credentials", ...credentials(readerClient), scope: "users:read users:write" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "invalid_scope", error_description: "The client is not granted: users:write" });
  });

  it("refuses an audience no API of the realm has", async () => {
    const response = await requestToken(gateway, { grant_type: "client_credentials", ...credentials(readerClient), audience: "https://api.unknown.test" });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("invalid_target");
  });

  it("refuses client_credentials to an application not allowed to use it", async () => {
    const response = await requestToken(gateway, { grant_type: "client_credentials", ...credentials(webClient) });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("unauthorized_client");
  });

  it("refuses a repeated parameter, malformed JSON and other content types", async () => {
    const repeated = await gateway.request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "grant_type=client_credentials&grant_type=client_credentials",
    });
    expect((await repeated.json()).error).toBe("invalid_request");
    const malformed = await gateway.request("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{",
    });
    expect(malformed.status).toBe(400);
    expect((await malformed.json()).error).toBe("invalid_request");
    const text = await gateway.request("/oauth/token", { method: "POST", headers: { "content-type": "text/plain" }, body: "hi" });
    expect((await text.json()).error).toBe("invalid_request");
  });

  it("does not let a client of one realm obtain tokens at another realm's endpoint", async () => {
    const foreign = await requestToken(
      gateway,
      { grant_type: "client_credentials", ...credentials(otherRealm) },
      { path: `/oauth2/${gateway.defaultRealmId}/token` },
    );
    expect(foreign.status).toBe(401);
    expect((await foreign.json()).error).toBe("invalid_client");
    const own = await requestToken(gateway, { grant_type: "client_credentials", ...credentials(otherRealm) }, { path: `/oauth2/${otherRealm.id}/token` });
    expect(own.status).toBe(200);
    expect(decodeJwt((await own.json()).access_token).iss).toBe(`${testOrigin}/oauth2/${otherRealm.id}`);
  });

  it("answers 404 for a realm that does not exist", async () => {
    const response = await requestToken(gateway, { grant_type: "client_credentials" }, { path: "/oauth2/rlm_nothere/token" });
    expect(response.status).toBe(404);
  });
});

describe("discovery and keys", () => {
  it("publishes RFC 8414 and OpenID metadata for the default realm and each realm", async () => {
    const root = await (await gateway.request("/.well-known/oauth-authorization-server")).json();
    expect(root).toMatchObject({
      issuer: `${testOrigin}/`,
      token_endpoint: `${testOrigin}/oauth/token`,
      jwks_uri: `${testOrigin}/.well-known/jwks.json`,
      grant_types_supported: expect.arrayContaining(["client_credentials"]),
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    });
    expect(await (await gateway.request("/.well-known/openid-configuration")).json()).toEqual(root);
    const realm = await (await gateway.request(`/oauth2/${otherRealm.id}/.well-known/openid-configuration`)).json();
    expect(realm).toMatchObject({
      issuer: `${testOrigin}/oauth2/${otherRealm.id}`,
      token_endpoint: `${testOrigin}/oauth2/${otherRealm.id}/token`,
      jwks_uri: `${testOrigin}/oauth2/${otherRealm.id}/.well-known/jwks.json`,
    });
    const rfc8414 = await gateway.request(`/.well-known/oauth-authorization-server/oauth2/${otherRealm.id}`);
    expect(await rfc8414.json()).toEqual(realm);
  });

  it("serves each realm's public signing keys, without private parts, as a cacheable JWKS", async () => {
    for (const path of ["/.well-known/jwks.json", `/oauth2/${otherRealm.id}/.well-known/jwks.json`]) {
      const response = await gateway.request(path);
      expect(response.headers.get("cache-control")).toMatch(/max-age=\d+/);
      const jwks = await response.json();
      expect(jwks.keys.length).toBeGreaterThanOrEqual(1);
      for (const key of jwks.keys) {
        expect(key).toMatchObject({ kty: "EC", crv: "P-256", alg: "ES256", use: "sig", kid: expect.any(String) });
        expect(key).not.toHaveProperty("d");
      }
    }
    const realmJwks = await (await gateway.request(`/oauth2/${otherRealm.id}/.well-known/jwks.json`)).json();
    expect(await (await gateway.request(`/oauth2/${otherRealm.id}/jwks.json`)).json()).toEqual(realmJwks);
  });
});
