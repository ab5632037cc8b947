// Passkey registration through HTTP, driven by a software authenticator: options, attestation
// verification, storage, and the ceremony token's binding, single use and expiry.
import { decodeJwt, decodeProtectedHeader } from "jose";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { graphqlOk, requestToken, tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { otherRealmToken } from "../../../test/support/user-fixtures.js";
import { ceremonyLifetimeSeconds } from "./ceremony.js";
import {
  createClient,
  createUser,
  newAuthenticator,
  newUserCredentials,
  passkeyBase,
  passwordSignIn,
  post,
  registerPasskey,
  signInOptions,
  type Answer,
  type TestClient,
} from "./passkey-test-kit.js";

let gateway: TestGateway;
let adminToken: string;
let web: TestClient;

/** A new user signed in with a password: its id and a user access token. */
async function signedInUser(): Promise<{ userId: string; token: string; email: string }> {
  const credentials = newUserCredentials();
  const userId = await createUser(gateway, adminToken, credentials);
  return { userId, token: await passwordSignIn(gateway, web, credentials), email: credentials.email };
}

beforeAll(async () => {
  gateway = await startTestGateway();
  adminToken = await tokenFor(gateway);
  web = await createClient(gateway, adminToken, { type: "web" });
});
afterAll(() => gateway.close());
afterEach(() => vi.useRealTimers());

describe("POST /auth/passkeys/register/options", () => {
  it("asks for a credential of the signed-in user on the gateway's RP ID, with a ceremony token", async () => {
    const { userId, token, email } = await signedInUser();
    const answer = await post(gateway, "/auth/passkeys/register/options", {}, token);
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    const { options, ceremony, expires_in } = answer.body;
    expect(expires_in).toBe(ceremonyLifetimeSeconds);
    expect(options).toMatchObject({
      rp: { name: "usergate", id: "usergate.test" },
      user: { id: Buffer.from(userId).toString("base64url"), name: email, displayName: "Passkey Tester" },
      challenge: expect.any(String),
      attestation: "none",
      excludeCredentials: [],
      authenticatorSelection: { residentKey: "preferred", userVerification: "preferred" },
    });
    expect(decodeProtectedHeader(ceremony).typ).toBe("passkey-ceremony+jwt");
    const claims = decodeJwt(ceremony);
    expect(claims).toMatchObject({ challenge: options.challenge, purpose: "register", realm: gateway.defaultRealmId, sub: userId });
    expect(claims.exp! - claims.iat!).toBe(ceremonyLifetimeSeconds);
  });

  it("excludes the credentials the user already has", async () => {
    const { token } = await signedInUser();
    const authenticator = newAuthenticator();
    expect((await registerPasskey(gateway, token, authenticator)).status).toBe(201);
    const { options } = (await post(gateway, "/auth/passkeys/register/options", {}, token)).body;
    expect(options.excludeCredentials).toEqual([
      { id: Buffer.from(authenticator.credentials[0]!.id).toString("base64url"), type: "public-key", transports: ["internal", "hybrid"] },
    ]);
    // The authenticator refuses to register the same credential twice, as browsers do.
    expect(() => authenticator.create(options)).toThrow(/InvalidStateError/);
  });

  it("needs a user access token: 401 without one, 403 for an application token", async () => {
    const anonymous = await post(gateway, "/auth/passkeys/register/options", {});
    expect(anonymous.status).toBe(401);
    expect(anonymous.body).toEqual({ error: "invalid_token", error_description: expect.any(String) });
    expect(anonymous.headers.get("www-authenticate")).toBe('Bearer realm="usergate"');

    const forged = await post(gateway, "/auth/passkeys/register/options", {}, "not-a-token");
    expect(forged.status).toBe(401);
    expect(forged.headers.get("www-authenticate")).toMatch(/error="invalid_token"/);

    const machine = await post(gateway, "/auth/passkeys/register/options", {}, adminToken);
    expect(machine.status).toBe(403);
    expect(machine.body.error).toBe("access_denied");
  });
});

describe("POST /auth/passkeys/register/verify", () => {
  it("verifies the attestation and stores the credential: 201 with id, name and createdAt", async () => {
    const { userId, token } = await signedInUser();
    const authenticator = newAuthenticator();
    const answer = await registerPasskey(gateway, token, authenticator, { name: "  Laptop  " });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(answer.headers.get("cache-control")).toBe("no-store");
    expect(answer.body).toEqual({ id: expect.stringMatching(/^pky_/), name: "Laptop", createdAt: expect.any(String) });

    const stored = await gateway.database.prisma.passkey.findUniqueOrThrow({ where: { id: answer.body.id } });
    const credential = authenticator.credentials[0]!;
    expect(stored).toMatchObject({
      realmId: gateway.defaultRealmId,
      userId,
      credentialId: Buffer.from(credential.id).toString("base64url"),
      counter: 0n,
      transports: ["internal", "hybrid"],
      name: "Laptop",
      lastUsedAt: null,
    });
    // The stored key is the authenticator's public key (COSE EC2 P-256: x and y inside).
    const jwk = credential.publicKey.export({ format: "jwk" });
    expect(Buffer.from(stored.publicKey).includes(Buffer.from(jwk.x!, "base64url"))).toBe(true);
    expect(Buffer.from(stored.publicKey).includes(Buffer.from(jwk.y!, "base64url"))).toBe(true);

    const listed = await graphqlOk(gateway, adminToken, `query($id: ID!) { node(id: $id) { ... on User { passkeys { id name credentialId } } } }`, {
      id: userId,
    });
    expect(listed.node.passkeys).toEqual([{ id: answer.body.id, name: "Laptop", credentialId: stored.credentialId }]);
    const audit = await gateway.database.prisma.auditEvent.findFirst({ where: { targetId: userId, action: "user.passkeys.create" } });
    expect(audit).toMatchObject({ actorType: "user", actorId: userId });
  });

  it("refuses an attestation made on another origin and stores nothing", async () => {
    const { userId, token } = await signedInUser();
    const answer = await registerPasskey(gateway, token, newAuthenticator(), { overrides: { origin: "https://evil.example" } });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ error: "invalid_request", error_description: expect.stringMatching(/origin/) });
    expect(await gateway.database.prisma.passkey.count({ where: { userId } })).toBe(0);
  });

  it("refuses an attestation over another challenge", async () => {
    const { token } = await signedInUser();
    const answer = await registerPasskey(gateway, token, newAuthenticator(), {
      overrides: { challenge: Buffer.from("a challenge of my own").toString("base64url") },
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error_description).toMatch(/challenge/);
  });

  it("spends the ceremony once: a replay is refused even with a fresh credential", async () => {
    const { userId, token } = await signedInUser();
    const authenticator = newAuthenticator();
    const started = (await post(gateway, "/auth/passkeys/register/options", {}, token)).body;
    const first = await post(gateway, "/auth/passkeys/register/verify", { ceremony: started.ceremony, response: authenticator.create(started.options) }, token);
    expect(first.status).toBe(201);
    const replay = await post(gateway, "/auth/passkeys/register/verify", { ceremony: started.ceremony, response: authenticator.create(started.options) }, token);
    expect(replay.status).toBe(400);
    expect(replay.body).toEqual({ error: "invalid_grant", error_description: "The passkey ceremony was already completed; start again" });
    expect(await gateway.database.prisma.passkey.count({ where: { userId } })).toBe(1);
  });

  it("refuses a ceremony token of another user, of a sign-in, or that is not a ceremony token", async () => {
    const alice = await signedInUser();
    const bob = await signedInUser();
    const authenticator = newAuthenticator();
    const alices = (await post(gateway, "/auth/passkeys/register/options", {}, alice.token)).body;
    const asBob = await post(gateway, "/auth/passkeys/register/verify", { ceremony: alices.ceremony, response: authenticator.create(alices.options) }, bob.token);
    expect(asBob.status).toBe(400);
    expect(asBob.body.error_description).toBe("The ceremony token belongs to another user");

    const signIn = await signInOptions(gateway, web);
    const fromSignIn = await post(
      gateway,
      "/auth/passkeys/register/verify",
      { ceremony: signIn.ceremony, response: authenticator.create({ ...alices.options, challenge: signIn.options.challenge }) },
      alice.token,
    );
    expect(fromSignIn.status).toBe(400);
    expect(fromSignIn.body.error_description).toBe("The ceremony token is not for registration");

    const accessToken = await post(gateway, "/auth/passkeys/register/verify", { ceremony: alice.token, response: authenticator.create(alices.options) }, alice.token);
    expect(accessToken.status).toBe(400);
    expect(accessToken.body.error).toBe("invalid_grant");
    expect(await gateway.database.prisma.passkey.count({ where: { userId: { in: [alice.userId, bob.userId] } } })).toBe(0);
  });

  it("refuses a ceremony older than its lifetime", async () => {
    const credentials = newUserCredentials();
    await createUser(gateway, adminToken, credentials);
    const started = (await post(gateway, "/auth/passkeys/register/options", {}, await passwordSignIn(gateway, web, credentials))).body;
    const response = newAuthenticator().create(started.options);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + (ceremonyLifetimeSeconds + 60) * 1000 });
    // Signed in again, so only the ceremony is too old.
    const token = await passwordSignIn(gateway, web, credentials);
    const late = await post(gateway, "/auth/passkeys/register/verify", { ceremony: started.ceremony, response }, token);
    expect(late.status).toBe(400);
    expect(late.body).toEqual({ error: "invalid_grant", error_description: "The passkey ceremony expired; start again" });
  });

  it("validates the body at the edge", async () => {
    const { token } = await signedInUser();
    const missing = await post(gateway, "/auth/passkeys/register/verify", { response: {} }, token);
    expect(missing.status).toBe(400);
    expect(missing.body.error).toBe("invalid_request");
    const notJson = await gateway.request("/auth/passkeys/register/verify", {
      method: "POST",
      headers: { "content-type": "text/plain", authorization: `Bearer ${token}` },
      body: "hello",
    });
    expect(notJson.status).toBe(400);
  });
});

describe("a recent sign-in (RFC 9470)", () => {
  const staleAfterMs = (5 * 60 + 1) * 1000;
  const expectSignInRequired = (answer: Answer) => {
    expect(answer.status, JSON.stringify(answer.body)).toBe(401);
    expect(answer.body).toEqual({ error: "insufficient_user_authentication", error_description: expect.stringMatching(/sign in again/i) });
    expect(answer.headers.get("www-authenticate")).toBe('Bearer realm="usergate", error="insufficient_user_authentication", max_age=300');
  };

  it("refuses options and verify to a token whose sign-in is older than five minutes; a fresh sign-in registers", async () => {
    const credentials = newUserCredentials();
    const userId = await createUser(gateway, adminToken, credentials);
    const stale = await passwordSignIn(gateway, web, credentials);
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + staleAfterMs });

    expectSignInRequired(await post(gateway, "/auth/passkeys/register/options", {}, stale));
    const fresh = await passwordSignIn(gateway, web, credentials);
    const started = (await post(gateway, "/auth/passkeys/register/options", {}, fresh)).body;
    const response = newAuthenticator().create(started.options);
    expectSignInRequired(await post(gateway, "/auth/passkeys/register/verify", { ceremony: started.ceremony, response }, stale));
    expect(await gateway.database.prisma.passkey.count({ where: { userId } })).toBe(0);

    const registered = await post(gateway, "/auth/passkeys/register/verify", { ceremony: started.ceremony, response }, fresh);
    expect(registered.status, JSON.stringify(registered.body)).toBe(201);
  });

  it("keeps the sign-in's time across refreshes: a refreshed token of an old session is refused", async () => {
    const credentials = newUserCredentials();
    await createUser(gateway, adminToken, credentials);
    const signedIn = await requestToken(gateway, {
      grant_type: "password",
      client_id: web.clientId,
      client_secret: web.clientSecret!,
      username: credentials.email,
      password: credentials.password,
      scope: "offline_access",
    });
    const { access_token, refresh_token } = await signedIn.json();
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + staleAfterMs });
    const refreshed = await requestToken(gateway, { grant_type: "refresh_token", client_id: web.clientId, client_secret: web.clientSecret!, refresh_token });
    const renewed = (await refreshed.json()).access_token;
    expect(decodeJwt(renewed).auth_time).toBe(decodeJwt(access_token).auth_time);
    expectSignInRequired(await post(gateway, "/auth/passkeys/register/options", {}, renewed));
  });
});

describe("per-realm passkey endpoints under /oauth2/{realm}/auth/passkeys", () => {
  it("register a user of that realm, refuse users of another realm and unknown realms", async () => {
    const other = await otherRealmToken(gateway, adminToken, `passkeys-${Date.now().toString(36)}`);
    const client = await createClient(gateway, other.token, { type: "web" });
    const credentials = newUserCredentials("realm");
    const userId = await createUser(gateway, other.token, credentials);
    const token = await passwordSignIn(gateway, client, credentials, other.realmId);

    const answer = await registerPasskey(gateway, token, newAuthenticator(), { realmId: other.realmId });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    expect(await gateway.database.prisma.passkey.findUnique({ where: { id: answer.body.id } })).toMatchObject({ realmId: other.realmId, userId });

    // A token of the other realm at the default realm's endpoint, and the other way round.
    expect((await post(gateway, `${passkeyBase()}/register/options`, {}, token)).status).toBe(403);
    const defaultUser = await signedInUser();
    expect((await post(gateway, `${passkeyBase(other.realmId)}/register/options`, {}, defaultUser.token)).status).toBe(403);
    expect((await post(gateway, `${passkeyBase("rlm_01jz0000000000000000000000")}/register/options`, {}, token)).status).toBe(404);
  });
});
