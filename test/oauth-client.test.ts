// A real OAuth 2.0 client library (oauth4webapi) against a listening gateway: discovery, then
// client_credentials with each client authentication method, then the token at work.
import * as oauth from "oauth4webapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, tokenFor } from "./support/api-client.js";
import { adminClient, freePort, startTestGateway, type TestGateway } from "./support/gateway.js";

let gateway: TestGateway;
let baseUrl: string;

beforeAll(async () => {
  const port = await freePort();
  gateway = await startTestGateway({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  baseUrl = await gateway.listen(port);
});
afterAll(() => gateway.close());

async function discover(issuer: URL) {
  const response = await oauth.discoveryRequest(issuer, { algorithm: "oauth2", [oauth.allowInsecureRequests]: true });
  return oauth.processDiscoveryResponse(issuer, response);
}

describe("oauth4webapi against the gateway", () => {
  it.each([
    ["client_secret_basic", oauth.ClientSecretBasic],
    ["client_secret_post", oauth.ClientSecretPost],
  ] as const)("discovers the server and obtains a scoped token with %s", async (_method, authentication) => {
    const as = await discover(new URL(`${baseUrl}/`));
    expect(as.token_endpoint).toBe(`${baseUrl}/oauth/token`);
    const client: oauth.Client = { client_id: adminClient.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, authentication(adminClient.clientSecret), { scope: "roles:read" }, {
      [oauth.allowInsecureRequests]: true,
    });
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.token_type).toBe("bearer");
    expect(tokens.scope).toBe("roles:read");

    const graphql = await fetch(`${baseUrl}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${tokens.access_token}` },
      body: JSON.stringify({ query: "{ roles(first: 5) { totalCount } }" }),
    });
    expect(graphql.status).toBe(200);
    expect((await graphql.json()).data.roles.totalCount).toBeGreaterThan(0);
  });

  it("discovers a realm's own issuer under /oauth2/{realm} and gets a token there", async () => {
    const created = await graphqlOk(
      gateway,
      await tokenFor(gateway),
      `mutation { createRealm(input: { name: "acme" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
    );
    const { realm, adminClientId, adminClientSecret } = created.createRealm;
    const issuer = new URL(`${baseUrl}/oauth2/${realm.id}`);
    const as = await discover(issuer);
    expect(as.token_endpoint).toBe(`${baseUrl}/oauth2/${realm.id}/token`);
    const client: oauth.Client = { client_id: adminClientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretBasic(adminClientSecret), { scope: "users:read" }, {
      [oauth.allowInsecureRequests]: true,
    });
    const tokens = await oauth.processClientCredentialsResponse(as, client, response);
    expect(tokens.scope).toBe("users:read");
  });

  it("surfaces the gateway's OAuth errors to the client library", async () => {
    const as = await discover(new URL(`${baseUrl}/`));
    const client: oauth.Client = { client_id: adminClient.clientId };
    const response = await oauth.clientCredentialsGrantRequest(as, client, oauth.ClientSecretPost("wrong"), {}, {
      [oauth.allowInsecureRequests]: true,
    });
    await expect(oauth.processClientCredentialsResponse(as, client, response)).rejects.toMatchObject({ error: "invalid_client" });
  });
});
