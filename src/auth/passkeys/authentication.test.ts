// Passkey sign-in through HTTP, driven by a software authenticator: a registered passkey signs
// the user in like the token endpoint does, and every way an assertion can be wrong is refused
// and recorded.
import { decodeJwt } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { graphqlOk, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, testOrigin, type TestGateway } from "../../../test/support/gateway.js";
import type { SoftwareAuthenticator } from "../../../test/support/software-authenticator.js";
import { otherRealmToken } from "../../../test/support/user-fixtures.js";
import { createApp } from "../../app.js";
import { createRateLimiter } from "../../http/rate-limiter.js";
import { createLogger } from "../../logger.js";
import { ceremonyLifetimeSeconds } from "./ceremony.js";
import {
  createClient,
  createUser,
  loginEventsOf,
  newAuthenticator,
  newUserCredentials,
  passkeySignIn,
  passwordSignIn,
  registerPasskey,
  signInOptions,
  verifySignIn,
  type TestClient,
} from "./passkey-test-kit.js";

let gateway: TestGateway;
let adminToken: string;
let web: TestClient;
let spa: TestClient;

type Enrolled = { userId: string; email: string; authenticator: SoftwareAuthenticator; credentialId: string; passkeyId: string };

/** A user who signed in once with a password and registered a passkey on a new authenticator. */
async function enrolledUser(authenticator = newAuthenticator()): Promise<Enrolled> {
  const credentials = newUserCredentials();
  const userId = await createUser(gateway, adminToken, credentials);
  const token = await passwordSignIn(gateway, web, credentials);
  const registered = await registerPasskey(gateway, token, authenticator, { name: "phone" });
  expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  const credentialId = Buffer.from(authenticator.credentials[0]!.id).toString("base64url");
  return { userId, email: credentials.email, authenticator, credentialId, passkeyId: registered.body.id };
}

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  web = await createClient(gateway, adminToken, { type: "web" });
  spa = await createClient(gateway, adminToken, { type: "spa" });
});
afterAll(() => gateway.close());
afterEach(() => vi.useRealTimers());

describe("POST /auth/passkeys/authenticate/options", () => {
  it("offers every discoverable credential without a username, and the user's credentials with one", async () => {
    const user = await enrolledUser();
    const discoverable = await signInOptions(gateway, web);
    expect(discoverable.options).toMatchObject({ rpId: "usergate.test", challenge: expect.any(String), userVerification: "preferred", allowCredentials: [] });
    expect(decodeJwt(discoverable.ceremony)).toMatchObject({ purpose: "authenticate", realm: gateway.defaultRealmId, client_id: web.clientId });

    const named = await signInOptions(gateway, web, { username: user.email.toUpperCase() });
    expect(named.options.allowCredentials).toEqual([{ id: user.credentialId, type: "public-key", transports: ["internal", "hybrid"] }]);
    // An unknown user looks like a discoverable request.
    expect((await signInOptions(gateway, web, { username: "nobody@example.test" })).options.allowCredentials).toEqual([]);
  });
});

describe("POST /auth/passkeys/authenticate/verify", () => {
  it("signs an invited user in: tokens like the token endpoint, the user active, the login recorded", async () => {
    const user = await enrolledUser();
    // Registration needed a password sign-in; put the user back to invited to see the passkey activate it.
    await gateway.database.prisma.user.update({ where: { id: user.userId }, data: { status: "invited" } });

    const answer = await passkeySignIn(gateway, web, user.authenticator, { scope: "openid profile email offline_access" });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      token_type: "Bearer",
      expires_in: expect.any(Number),
      scope: expect.stringContaining("openid"),
      id_token: expect.any(String),
      refresh_token: expect.any(String),
    });
    const claims = decodeJwt(answer.body.access_token);
    expect(claims).toMatchObject({ sub: user.userId, client_id: web.clientId, realm: gateway.defaultRealmId, sid: expect.any(String) });
    expect(decodeJwt(answer.body.id_token)).toMatchObject({ sub: user.userId, email: user.email, aud: web.clientId });

    const stored = await gateway.database.prisma.user.findUniqueOrThrow({ where: { id: user.userId } });
    expect(stored.status).toBe("active");
    const [event] = await loginEventsOf(gateway, { userId: user.userId });
    expect(event).toMatchObject({ method: "passkey", outcome: "success", identifier: user.credentialId });
    const session = await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: String(claims.sid) } });
    expect(session).toMatchObject({ userId: user.userId });
    const passkey = await gateway.database.prisma.passkey.findUniqueOrThrow({ where: { id: user.passkeyId } });
    expect(passkey.counter).toBe(1n);
    expect(passkey.lastUsedAt).toBeInstanceOf(Date);

    // The access token works where user tokens work.
    const userinfo = await gateway.request("/userinfo", { headers: { authorization: `Bearer ${answer.body.access_token}` } });
    expect(userinfo.status).toBe(200);
    expect((await userinfo.json()).sub).toBe(user.userId);
  });

  it("signs in through a public client (no secret) with the user named", async () => {
    const user = await enrolledUser();
    const answer = await passkeySignIn(gateway, spa, user.authenticator, { username: user.email });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(decodeJwt(answer.body.access_token)).toMatchObject({ sub: user.userId, client_id: spa.clientId });
  });

  it("refuses an assertion made on another origin", async () => {
    const user = await enrolledUser();
    const answer = await passkeySignIn(gateway, web, user.authenticator, { overrides: { origin: "https://phishing.example" } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_grant", error_description: expect.stringMatching(/origin/) });
    const [event] = await loginEventsOf(gateway, { userId: user.userId });
    expect(event).toMatchObject({ method: "passkey", outcome: "invalid_passkey" });
  });

  it("refuses a replayed assertion even from a passkey that never counts (the ceremony is spent)", async () => {
    const user = await enrolledUser(newAuthenticator({ counts: false }));
    const started = await signInOptions(gateway, web);
    const assertion = user.authenticator.get(started.options);
    expect((await verifySignIn(gateway, web, started.ceremony, assertion)).status).toBe(200);

    const replay = await verifySignIn(gateway, web, started.ceremony, assertion);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: "invalid_grant", error_description: "The passkey ceremony was already completed; start again" });
    // Nor does the old assertion pass with a new ceremony: it signed another challenge.
    const fresh = await signInOptions(gateway, web);
    const moved = await verifySignIn(gateway, web, fresh.ceremony, assertion);
    expect(moved.status).toBe(400);
    expect(moved.body.error_description).toMatch(/challenge/);
    expect(await gateway.database.prisma.loginEvent.count({ where: { userId: user.userId, method: "passkey", outcome: "success" } })).toBe(1);
  });

  it("finishes a ceremony on another replica, once, even when both replicas race", async () => {
    const user = await enrolledUser(newAuthenticator({ counts: false }));
    // A second gateway process on the same database: its own key cache, nothing shared in memory.
    const rateLimiter = createRateLimiter(gateway.config);
    const replica = createApp({ config: gateway.config, database: gateway.database, logger: createLogger("silent"), defaultRealmId: gateway.defaultRealmId, rateLimiter });
    const onReplica = async (path: string, body: unknown) =>
      replica.fetch(new Request(new URL(path, testOrigin), { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
    try {
      const started = await signInOptions(gateway, web);
      const body = { client_id: web.clientId, client_secret: web.clientSecret, ceremony: started.ceremony, response: user.authenticator.get(started.options) };
      const finished = await onReplica("/auth/passkeys/authenticate/verify", body);
      expect(finished.status, await finished.clone().text()).toBe(200);
      expect((await verifySignIn(gateway, web, started.ceremony, body.response)).status).toBe(400);

      const raced = await signInOptions(gateway, web);
      const racedBody = { ...body, ceremony: raced.ceremony, response: user.authenticator.get(raced.options) };
      const statuses = await Promise.all([
        onReplica("/auth/passkeys/authenticate/verify", racedBody).then((response) => response.status),
        verifySignIn(gateway, web, raced.ceremony, racedBody.response).then((answer) => answer.status),
      ]);
      expect(statuses.sort()).toEqual([200, 400]);
    } finally {
      await rateLimiter.close();
    }
  });

  it("refuses a signature counter that went back (a cloned authenticator)", async () => {
    const user = await enrolledUser();
    expect((await passkeySignIn(gateway, web, user.authenticator)).status).toBe(200);
    expect((await passkeySignIn(gateway, web, user.authenticator)).status).toBe(200);
    const cloned = await passkeySignIn(gateway, web, user.authenticator, { overrides: { counter: 1 } });
    expect(cloned.status).toBe(400);
    expect(cloned.body.error_description).toMatch(/counter/);
    const passkey = await gateway.database.prisma.passkey.findUniqueOrThrow({ where: { id: user.passkeyId } });
    expect(passkey.counter).toBe(2n);
  });

  it("refuses an unknown credential and records it", async () => {
    const stranger = newAuthenticator();
    stranger.create({
      rp: { id: "usergate.test", name: "usergate" },
      user: { id: Buffer.from("usr_unknown").toString("base64url"), name: "x", displayName: "" },
      challenge: "AAAA",
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    });
    const answer = await passkeySignIn(gateway, web, stranger);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_grant", error_description: "This passkey is not registered" });
    const credentialId = Buffer.from(stranger.credentials[0]!.id).toString("base64url");
    const [event] = await loginEventsOf(gateway, { identifier: credentialId });
    expect(event).toMatchObject({ userId: null, method: "passkey", outcome: "unknown_user", applicationId: expect.any(String) });
  });

  it("refuses a signature by another key for a registered credential id", async () => {
    const user = await enrolledUser();
    const impostor = newAuthenticator();
    impostor.create({
      rp: { id: "usergate.test", name: "usergate" },
      user: { id: Buffer.from(user.userId).toString("base64url"), name: "x", displayName: "" },
      challenge: "AAAA",
      pubKeyCredParams: [{ type: "public-key", alg: -7 }],
    });
    impostor.credentials[0]!.id = user.authenticator.credentials[0]!.id;
    const answer = await passkeySignIn(gateway, web, impostor);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toBe("invalid_grant");
  });

  it("refuses suspended users with 403 and records it", async () => {
    const user = await enrolledUser();
    const suspended = await graphqlOk(
      gateway,
      adminToken,
      `mutation($input: SetUserStatusInput!) { setUserStatus(input: $input) { __typename } }`,
      { input: { id: user.userId, status: "suspended" } },
    );
    expect(suspended.setUserStatus.__typename).toBe("UserPayload");
    const answer = await passkeySignIn(gateway, web, user.authenticator);
    expect(answer.status).toBe(403);
    expect(answer.body).toEqual({ error: "access_denied", error_description: "The user is blocked" });
    const [event] = await loginEventsOf(gateway, { userId: user.userId });
    expect(event).toMatchObject({ method: "passkey", outcome: "suspended" });
  });

  it("fails once the user's passkeys are deleted (deleteUserPasskeys)", async () => {
    const user = await enrolledUser();
    expect((await passkeySignIn(gateway, web, user.authenticator)).status).toBe(200);
    const deleted = await graphqlOk(
      gateway,
      adminToken,
      `mutation($input: DeleteUserPasskeysInput!) { deleteUserPasskeys(input: $input) {
        __typename ... on DeleteUserPasskeysPayload { deletedIds } } }`,
      { input: { userId: user.userId } },
    );
    expect(deleted.deleteUserPasskeys.deletedIds).toEqual([user.passkeyId]);
    const answer = await passkeySignIn(gateway, web, user.authenticator);
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toBe("This passkey is not registered");
    // The options for the user no longer list the credential either.
    expect((await signInOptions(gateway, web, { username: user.email })).options.allowCredentials).toEqual([]);
  });

  it("binds the ceremony to its application, its realm and its lifetime", async () => {
    const user = await enrolledUser();
    const forSpa = await signInOptions(gateway, spa);
    const otherApp = await verifySignIn(gateway, web, forSpa.ceremony, user.authenticator.get(forSpa.options));
    expect(otherApp.status).toBe(400);
    expect(otherApp.body.error_description).toBe("The ceremony token was issued to another application");

    const started = await signInOptions(gateway, web);
    const assertion = user.authenticator.get(started.options);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (ceremonyLifetimeSeconds + 60) * 1000 });
    const late = await verifySignIn(gateway, web, started.ceremony, assertion);
    expect(late.status).toBe(400);
    expect(late.body.error_description).toBe("The passkey ceremony expired; start again");
  });

  it("authenticates the application: a wrong secret is 401, an application without the password grant may not", async () => {
    const user = await enrolledUser();
    const started = await signInOptions(gateway, web);
    const wrongSecret = await verifySignIn(gateway, { clientId: web.clientId, clientSecret: "wrong" }, started.ceremony, user.authenticator.get(started.options));
    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.body.error).toBe("invalid_client");
    const noSecret = await verifySignIn(gateway, { clientId: web.clientId, clientSecret: null }, started.ceremony, user.authenticator.get(started.options));
    expect(noSecret.status).toBe(401);

    const refreshOnly = await createClient(gateway, adminToken, { type: "web", grantTypes: ["refresh_token"] });
    const refused = await gateway.request("/auth/passkeys/authenticate/options", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: refreshOnly.clientId }),
    });
    expect(refused.status).toBe(400);
    expect((await refused.json()).error).toBe("unauthorized_client");
  });
});

describe("per-realm sign-in under /oauth2/{realm}/auth/passkeys", () => {
  it("signs a user of the realm in with the realm's issuer, and refuses the ceremony at another realm", async () => {
    const other = await otherRealmToken(gateway, adminToken, `passkey-signin-${Date.now().toString(36)}`);
    const client = await createClient(gateway, other.token, { type: "web" });
    const credentials = newUserCredentials("realm");
    const userId = await createUser(gateway, other.token, credentials);
    const token = await passwordSignIn(gateway, client, credentials, other.realmId);
    const authenticator = newAuthenticator();
    expect((await registerPasskey(gateway, token, authenticator, { realmId: other.realmId })).status).toBe(201);

    const answer = await passkeySignIn(gateway, client, authenticator, { realmId: other.realmId });
    expect(answer.status, JSON.stringify(answer.body)).toBe(200);
    expect(decodeJwt(answer.body.access_token)).toMatchObject({ sub: userId, realm: other.realmId, iss: expect.stringContaining(`/oauth2/${other.realmId}`) });

    // The realm's application is unknown at the default realm's endpoint.
    const atDefault = await gateway.request("/auth/passkeys/authenticate/options", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ client_id: client.clientId }),
    });
    expect(atDefault.status).toBe(401);
    // A default-realm ceremony is refused at the other realm: its key is not one of that realm's.
    const defaultCeremony = await signInOptions(gateway, web);
    const crossed = await verifySignIn(gateway, client, defaultCeremony.ceremony, authenticator.get(defaultCeremony.options), { realmId: other.realmId });
    expect(crossed.status).toBe(400);
    expect(crossed.body.error_description).toBe("The ceremony token was not signed by a key of this realm");
  });
});
