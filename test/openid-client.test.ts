// A real OpenID Connect client (openid-client) against a listening gateway: discovery, the
// password grant with an ID token, the refresh grant, and /userinfo.
import * as client from "openid-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, startTestGateway, type TestGateway } from "./support/gateway.js";
import { createFirstPartyApp, createUserWithPassword } from "./support/sign-in.js";

let gateway: TestGateway;
let baseUrl: string;
let config: client.Configuration;
let userId: string;

beforeAll(async () => {
  const port = await freePort();
  gateway = await startTestGateway({ PUBLIC_URL: `http://127.0.0.1:${port}` });
  baseUrl = await gateway.listen(port);
  const app = await createFirstPartyApp(gateway, "web");
  userId = (await createUserWithPassword(gateway, { email: "oidc@example.com", password: "a long enough password", name: "O. Idc" })).id;
  config = await client.discovery(new URL(`${baseUrl}/`), app.clientId, undefined, client.ClientSecretPost(app.clientSecret!), {
    execute: [client.allowInsecureRequests],
  });
});
afterAll(() => gateway.close());

describe("openid-client against the gateway", () => {
  it("signs in with the password grant, validates the ID token, refreshes, and reads /userinfo", async () => {
    const tokens = await client.genericGrantRequest(config, "password", {
      username: "oidc@example.com",
      password: "a long enough password",
      scope: "openid profile email offline_access",
    });
    // openid-client validated the ID token (issuer, audience, signature through the JWKS, expiry).
    expect(tokens.claims()).toMatchObject({ sub: userId, email: "oidc@example.com", name: "O. Idc" });
    expect(tokens.refresh_token).toBeDefined();

    const refreshed = await client.refreshTokenGrant(config, tokens.refresh_token!);
    expect(refreshed.access_token).not.toBe(tokens.access_token);
    expect(refreshed.refresh_token).not.toBe(tokens.refresh_token);

    const userinfo = await client.fetchUserInfo(config, refreshed.access_token, userId);
    expect(userinfo).toMatchObject({ sub: userId, email: "oidc@example.com", name: "O. Idc" });
  });

  it("surfaces a wrong password as invalid_grant", async () => {
    await expect(
      client.genericGrantRequest(config, "password", { username: "oidc@example.com", password: "wrong password!" }),
    ).rejects.toMatchObject({ error: "invalid_grant" });
  });
});
