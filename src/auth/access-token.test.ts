import { createHmac } from "node:crypto";
import { base64url, exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { adminClient, startTestGateway, testOrigin, type TestGateway } from "../../test/support/gateway.js";
import { managementIndicator } from "../services/management-api.js";

let gateway: TestGateway;
let adminToken: string;
let activeKey: { kid: string; privateJwk: JWK; publicJwk: JWK };

const realmQuery = "{ realm { id } }";

/** A token shaped like ours (of the bootstrap application, which exists), signed with the
 *  gateway's own active key, with claims overridden. */
async function forge(claims: Record<string, unknown>, header: Record<string, unknown> = {}) {
  const key = await importJWK(activeKey.privateJwk, "ES256");
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    iss: `${testOrigin}/`,
    sub: adminClient.clientId,
    aud: managementIndicator,
    client_id: adminClient.clientId,
    scope: "roles:read",
    realm: gateway.defaultRealmId,
    jti: "j1",
    iat: now,
    exp: now + 300,
    ...claims,
  })
    .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: activeKey.kid, ...header })
    .sign(key);
}

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  const row = await gateway.database.prisma.signingKey.findFirstOrThrow({ where: { status: "active" } });
  activeKey = { kid: row.kid, privateJwk: row.privateJwk as JWK, publicJwk: row.publicJwk as JWK };
});
afterAll(() => gateway.close());

async function expectInvalidToken(token: string, description: RegExp) {
  const result = await graphql(gateway, token, realmQuery);
  expect(result.status).toBe(401);
  expect(result.headers.get("www-authenticate")).toMatch(/^Bearer .*error="invalid_token"/);
  expect(result.errors?.[0]?.extensions?.code).toBe("invalid_token");
  expect(result.errors?.[0]?.message).toMatch(description);
}

describe("bearer token verification", () => {
  it("accepts a token of this gateway", async () => {
    const data = await graphqlOk(gateway, adminToken, realmQuery);
    expect(data.realm.id).toBe(gateway.defaultRealmId);
  });

  it("accepts a forged-looking token only because it is really signed by our key (control case)", async () => {
    expect((await graphql(gateway, await forge({}), realmQuery)).status).toBe(200);
  });

  it("refuses an expired token, beyond the 30 s clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    await expectInvalidToken(await forge({ iat: now - 4000, exp: now - 60 }), /expired/);
  });

  it("tolerates a token that expired within the clock skew", async () => {
    const now = Math.floor(Date.now() / 1000);
    expect((await graphql(gateway, await forge({ iat: now - 3600, exp: now - 10 }), realmQuery)).status).toBe(200);
  });

  it("refuses a token signed by another key that claims our kid", async () => {
    const { privateKey } = await generateKeyPair("ES256");
    const now = Math.floor(Date.now() / 1000);
    const token = await new SignJWT({ sub: "x", aud: managementIndicator, client_id: "x", scope: "roles:read", realm: gateway.defaultRealmId, jti: "j" })
      .setProtectedHeader({ alg: "ES256", typ: "at+jwt", kid: activeKey.kid })
      .setIssuer(`${testOrigin}/`)
      .setIssuedAt(now)
      .setExpirationTime(now + 300)
      .sign(privateKey);
    await expectInvalidToken(token, /signature/);
  });

  it('refuses an unsigned token (alg "none")', async () => {
    const header = base64url.encode(JSON.stringify({ alg: "none", typ: "at+jwt", kid: activeKey.kid }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: `${testOrigin}/`, sub: "x", aud: managementIndicator, client_id: "x", scope: "roles:read", realm: gateway.defaultRealmId, jti: "j", iat: now, exp: now + 300 }),
    );
    await expectInvalidToken(`${header}.${payload}.`, /algorithm|invalid/);
  });

  it("refuses an HS256 token whose HMAC key is our public key (algorithm confusion)", async () => {
    const header = base64url.encode(JSON.stringify({ alg: "HS256", typ: "at+jwt", kid: activeKey.kid }));
    const now = Math.floor(Date.now() / 1000);
    const payload = base64url.encode(
      JSON.stringify({ iss: `${testOrigin}/`, sub: "x", aud: managementIndicator, client_id: "x", scope: "roles:read", realm: gateway.defaultRealmId, jti: "j", iat: now, exp: now + 300 }),
    );
    const signature = createHmac("sha256", JSON.stringify(activeKey.publicJwk)).update(`${header}.${payload}`).digest("base64url");
    await expectInvalidToken(`${header}.${payload}.${signature}`, /algorithm/);
  });

  it("refuses a token for another audience", async () => {
    await expectInvalidToken(await forge({ aud: "https://api.other.test" }), /audience/);
  });

  it("refuses a token whose issuer does not match its realm", async () => {
    await expectInvalidToken(await forge({ iss: "https://evil.test/" }), /realm or issuer/);
  });

  it("refuses a token without the at+jwt type (an ID token, say)", async () => {
    await expectInvalidToken(await forge({}, { typ: "JWT" }), /typ/);
  });

  it("refuses garbage and other schemes with 401", async () => {
    await expectInvalidToken("not-a-jwt", /malformed/);
    const basic = await gateway.request("/graphql", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: "Basic Zm9vOmJhcg==" },
      body: JSON.stringify({ query: realmQuery }),
    });
    expect(basic.status).toBe(401);
  });

  it("answers a valid token lacking a scope with 403 insufficient_scope", async () => {
    const token = await forge({ scope: "users:read" });
    const result = await graphql(gateway, token, "{ roles(first: 1) { totalCount } }");
    expect(result.status).toBe(403);
    expect(result.errors?.[0]?.extensions?.code).toBe("insufficient_scope");
  });
});

describe("signing key rotation", () => {
  it("keeps tokens issued before the rotation valid and publishes both keys until they expire", async () => {
    const before = await tokenFor(gateway);
    const rotated = await graphqlOk(gateway, adminToken, "mutation { rotateSigningKey { kid retired } }");
    expect(rotated.rotateSigningKey.retired).toEqual([activeKey.kid]);

    expect((await graphql(gateway, before, realmQuery)).status).toBe(200);
    const after = await tokenFor(gateway);
    expect(JSON.parse(Buffer.from(after.split(".")[0]!, "base64url").toString()).kid).toBe(rotated.rotateSigningKey.kid);
    expect((await graphql(gateway, after, realmQuery)).status).toBe(200);

    const jwks = await (await gateway.request("/.well-known/jwks.json")).json();
    expect(jwks.keys.map((key: JWK) => key.kid).sort()).toEqual([activeKey.kid, rotated.rotateSigningKey.kid].sort());

    const keys = await graphqlOk(gateway, adminToken, "{ signingKeys { kid status publishUntil } }");
    const retired = keys.signingKeys.find((key: any) => key.kid === activeKey.kid);
    expect(retired.status).toBe("retired");
    // Published for the longest token lifetime (3600 s) plus a margin.
    expect(new Date(retired.publishUntil).getTime() - Date.now()).toBeGreaterThan(3600_000);
  });

  it("needs resources:write", async () => {
    const result = await graphql(gateway, await forge({ scope: "roles:read roles:write" }), "mutation { rotateSigningKey { kid } }");
    expect(result.status).toBe(403);
  });
});
