import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphql, graphqlOk, tokenFor } from "../../test/support/api-client.js";
import { expectAccessDenied, insertAdministratorUser } from "../../test/support/directory-rows.js";
import { adminClient, startTestGateway, testOrigin, type TestGateway } from "../../test/support/gateway.js";
import { createFirstPartyApp, createUserWithPassword, passwordSignIn, refresh } from "../../test/support/sign-in.js";
import { newId } from "../db/ids.js";
import { hashPassword } from "../services/passwords.js";
import { sessionRecheckMs } from "./session-revocation.js";

let gateway: TestGateway;
let app: { clientId: string; clientSecret: string | null };
let spa: { clientId: string; clientSecret: string | null };

const password = "correct horse battery staple";

beforeAll(async () => {
  gateway = await startTestGateway({ SIGN_IN_MAX_FAILURES: "3", SIGN_IN_FAILURE_WINDOW_SECONDS: "600" });
  app = await createFirstPartyApp(gateway, "web");
  spa = await createFirstPartyApp(gateway, "spa");
});
afterAll(() => gateway.close());

describe("password sign-in", () => {
  it("turns an invited user active at the first sign-in and records it", async () => {
    const user = await createUserWithPassword(gateway, { email: "ada@example.com", password, name: "Ada" });
    expect(user.status).toBe("invited");
    const response = await passwordSignIn(gateway, app, { username: "ADA@example.com", password, scope: "openid profile email" });
    expect(response.status).toBe(200);
    const tokens = await response.json();
    expect(tokens).toMatchObject({ token_type: "Bearer", expires_in: 3600, scope: "openid profile email", id_token: expect.any(String) });
    expect(tokens.refresh_token).toBeUndefined();

    const access = decodeJwt(tokens.access_token);
    expect(access).toMatchObject({ sub: user.id, client_id: app.clientId, realm: gateway.defaultRealmId, sid: expect.stringMatching(/^ses_/) });
    const id = decodeJwt(tokens.id_token);
    expect(id).toMatchObject({ iss: `${testOrigin}/`, aud: app.clientId, sub: user.id, email: "ada@example.com", email_verified: false, name: "Ada", roles: [] });

    const after = await gateway.database.prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toMatchObject({ status: "active", loginsCount: 1, lastLoginAt: expect.any(Date) });
    const events = await gateway.database.prisma.loginEvent.findMany({ where: { userId: user.id } });
    expect(events).toMatchObject([{ outcome: "success", method: "password", applicationId: expect.stringMatching(/^app_/) }]);
    const sessions = await gateway.database.prisma.session.findMany({ where: { userId: user.id } });
    expect(sessions).toHaveLength(1);
  });

  it("lets a public client (spa) sign in with its client id alone", async () => {
    await createUserWithPassword(gateway, { email: "spa-user@example.com", password });
    const response = await passwordSignIn(gateway, spa, { username: "spa-user@example.com", password });
    expect(response.status).toBe(200);
  });

  it("answers a wrong password and an unknown user identically, and in comparable time", async () => {
    const known = ["grace@example.com", "grace.2@example.com", "grace.3@example.com"];
    for (const email of known) await createUserWithPassword(gateway, { email, password });
    const timed = async (username: string) => {
      const started = performance.now();
      const response = await passwordSignIn(gateway, app, { username, password: "not the password" });
      return { ms: performance.now() - started, status: response.status, body: await response.json() };
    };
    // Alternating attempts, compared by their medians: one slow sample on a busy machine decides nothing.
    const wrong = [];
    const unknown = [];
    for (const [index, email] of known.entries()) {
      wrong.push(await timed(email));
      unknown.push(await timed(`nobody.${index}@example.com`));
    }
    expect(wrong[0]!.status).toBe(400);
    expect(wrong[0]!.body).toEqual({ error: "invalid_grant", error_description: "Wrong email, username or password" });
    for (const attempt of [...wrong, ...unknown]) expect(attempt).toMatchObject({ status: 400, body: wrong[0]!.body });
    // An unknown user costs a dummy argon2 verification: without it the answer would be ~20× faster.
    const median = (attempts: Array<{ ms: number }>) => attempts.map((attempt) => attempt.ms).sort((a, b) => a - b)[1]!;
    const ratio = median(unknown) / median(wrong);
    expect(ratio).toBeGreaterThan(0.25);
    expect(ratio).toBeLessThan(4);
    const outcomes = await gateway.database.prisma.loginEvent.findMany({
      where: { identifier: { in: ["grace@example.com", "nobody.0@example.com"] } },
      select: { outcome: true, identifier: true },
      orderBy: { createdAt: "asc" },
    });
    expect(outcomes).toEqual([
      { outcome: "wrong_password", identifier: "grace@example.com" },
      { outcome: "unknown_user", identifier: "nobody.0@example.com" },
    ]);
  });

  it("locks an identifier after the threshold of failures, refuses even the right password, and an admin unlocks it", async () => {
    const user = await createUserWithPassword(gateway, { email: "locked@example.com", password });
    for (let attempt = 0; attempt < 3; attempt++) {
      expect((await passwordSignIn(gateway, app, { username: "locked@example.com", password: "guess" })).status).toBe(400);
    }
    const locked = await passwordSignIn(gateway, app, { username: "locked@example.com", password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get("retry-after"))).toBeGreaterThan(500);
    expect((await locked.json()).error).toBe("invalid_grant");
    const lockedEvents = await gateway.database.prisma.loginEvent.count({ where: { userId: user.id, outcome: "locked" } });
    expect(lockedEvents).toBe(1);

    const unlocked = await graphqlOk(
      gateway,
      await tokenFor(gateway),
      `mutation($id: ID!) { unlockUserSignIn(input: { userId: $id }) { __typename } }`,
      { id: user.id },
    );
    expect(unlocked.unlockUserSignIn.__typename).toBe("UnlockUserSignInPayload");
    expect((await passwordSignIn(gateway, app, { username: "locked@example.com", password })).status).toBe(200);
  });

  it("lifts an administrator's lockout only for a caller holding all they hold: lifting it helps a brute force", async () => {
    const chief = await insertAdministratorUser(gateway, { email: "locked-chief@example.com", passwordHash: await hashPassword(password) });
    const plain = await createUserWithPassword(gateway, { email: "locked-plain@example.com", password });
    for (const username of ["locked-chief@example.com", "locked-plain@example.com"]) {
      for (let attempt = 0; attempt < 3; attempt++) await passwordSignIn(gateway, app, { username, password: "guess" });
      expect((await passwordSignIn(gateway, app, { username, password })).status).toBe(429);
    }
    const limited = await tokenFor(gateway, adminClient, { scope: "users:write" });
    const unlock = `mutation($id: ID!) { unlockUserSignIn(input: { userId: $id }) { __typename } }`;

    expectAccessDenied(await graphql(gateway, limited, unlock, { id: chief.id }));
    expect((await gateway.database.prisma.user.findUniqueOrThrow({ where: { id: chief.id } })).signInUnlockedAt).toBeNull();
    expect((await passwordSignIn(gateway, app, { username: "locked-chief@example.com", password })).status).toBe(429);

    expect((await graphqlOk(gateway, limited, unlock, { id: plain.id })).unlockUserSignIn.__typename).toBe("UnlockUserSignInPayload");
    expect((await passwordSignIn(gateway, app, { username: "locked-plain@example.com", password })).status).toBe(200);
    expect((await graphqlOk(gateway, await tokenFor(gateway), unlock, { id: chief.id })).unlockUserSignIn.__typename).toBe("UnlockUserSignInPayload");
    expect((await passwordSignIn(gateway, app, { username: "locked-chief@example.com", password })).status).toBe(200);
  });

  it("refuses suspended and inactive users with a clear error", async () => {
    for (const status of ["suspended", "inactive"] as const) {
      await createUserWithPassword(gateway, { email: `${status}@example.com`, password, status });
      const response = await passwordSignIn(gateway, app, { username: `${status}@example.com`, password });
      expect(response.status).toBe(403);
      expect((await response.json()).error).toBe("access_denied");
    }
  });

  it("updates the user in place: no index of User covers a column a sign-in writes (HOT updates)", async () => {
    // Columns the sign-in statement sets on every sign-in (status changes only at the first).
    const written = ["lastLoginAt", "lastLoginIp", "loginsCount", "updatedAt", "passwordExpired"];
    const indexes = await gateway.database.prisma.$queryRaw<Array<{ definition: string }>>`
      SELECT pg_get_indexdef(x.indexrelid) AS definition FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
      WHERE t.relname = 'User'`;
    expect(indexes.length).toBeGreaterThan(10);
    expect(indexes.filter(({ definition }) => written.some((column) => definition.includes(`"${column}"`)))).toEqual([]);
    const [table] = await gateway.database.prisma.$queryRaw<Array<{ options: string[] | null }>>`
      SELECT reloptions AS options FROM pg_class WHERE relname = 'User'`;
    expect(table!.options).toContain("fillfactor=90"); // room on each page for the new version
  });

  it("refuses an application that may not use the password grant", async () => {
    const m2m = await graphqlOk(
      gateway,
      await tokenFor(gateway),
      `mutation { createApplication(input: { name: "job", type: m2m }) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    );
    const client = { clientId: m2m.createApplication.application.clientId, clientSecret: m2m.createApplication.clientSecret };
    await createUserWithPassword(gateway, { email: "m2m-user@example.com", password });
    const response = await passwordSignIn(gateway, client, { username: "m2m-user@example.com", password });
    expect(response.status).toBe(400);
    expect((await response.json()).error).toBe("unauthorized_client");
  });
});

describe("expired and temporary passwords", () => {
  it("refuses an expired password with password_expired until it is changed", async () => {
    await createUserWithPassword(gateway, { email: "expired@example.com", password, passwordExpired: true });
    const refused = await passwordSignIn(gateway, app, { username: "expired@example.com", password });
    expect(refused.status).toBe(403);
    expect((await refused.json()).error).toBe("password_expired");

    const change = await gateway.request("/auth/password/change", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        client_id: app.clientId,
        client_secret: app.clientSecret!,
        username: "expired@example.com",
        password,
        new_password: "a brand new passphrase",
      }).toString(),
    });
    expect(change.status).toBe(204);
    expect((await passwordSignIn(gateway, app, { username: "expired@example.com", password })).status).toBe(400);
    expect((await passwordSignIn(gateway, app, { username: "expired@example.com", password: "a brand new passphrase" })).status).toBe(200);
  });

  it("refuses a refresh once the password has expired, and issues no token", async () => {
    // An administrator's expireUserPassword also ends the sessions (user-privileges.test.ts); the
    // refresh grant refuses an expired password by itself, whatever marked it expired.
    const user = await createUserWithPassword(gateway, { email: "expired-later@example.com", password });
    const tokens = await (await passwordSignIn(gateway, app, { username: "expired-later@example.com", password, scope: "offline_access" })).json();
    await gateway.database.prisma.user.update({ where: { id: user.id }, data: { passwordExpired: true } });

    const refused = await refresh(gateway, app, tokens.refresh_token);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toEqual({ error: "invalid_grant", error_description: "The password has expired; change it with POST /auth/password/change" });
    const sessionId = String(decodeJwt(tokens.access_token).sid);
    const stored = await gateway.database.prisma.refreshToken.findMany({ where: { sessionId } });
    expect(stored).toEqual([expect.objectContaining({ usedAt: null })]);
  });

  it("lets a temporary password sign in once, only to change the password", async () => {
    await createUserWithPassword(gateway, { email: "temp@example.com", password, passwordTemporary: true });
    const first = await passwordSignIn(gateway, app, { username: "temp@example.com", password, scope: "openid users:read" });
    expect(first.status).toBe(200);
    const restricted = await first.json();
    expect(restricted.scope).toBe("password:change");

    // The restricted token cannot read anything a management scope guards …
    expect((await graphql(gateway, restricted.access_token, "{ users(first: 1) { totalCount } }")).status).toBe(403);
    // … and the temporary password does not sign in twice.
    expect((await (await passwordSignIn(gateway, app, { username: "temp@example.com", password })).json()).error).toBe("password_expired");

    const changed = await graphqlOk(
      gateway,
      restricted.access_token,
      `mutation($input: ChangeMyPasswordInput!) { changeMyPassword(input: $input) { ... on ChangeMyPasswordPayload { changed } } }`,
      { input: { currentPassword: password, newPassword: "my own passphrase" } },
    );
    expect(changed.changeMyPassword.changed).toBe(true);
    expect((await passwordSignIn(gateway, app, { username: "temp@example.com", password: "my own passphrase" })).status).toBe(200);
  });

  it("spends a temporary password only with a sign-in that succeeds, and once among concurrent ones", async () => {
    const user = await createUserWithPassword(gateway, { email: "temp-race@example.com", password, passwordTemporary: true });
    const credentials = { username: "temp-race@example.com", password };
    // A refused request changes nothing: the password is still unspent.
    const badAudience = await passwordSignIn(gateway, app, { ...credentials, audience: "https://no-such-api.example" });
    expect((await badAudience.json()).error).toBe("invalid_target");

    const raced = await Promise.all([passwordSignIn(gateway, app, credentials), passwordSignIn(gateway, app, credentials)]);
    const bodies = await Promise.all(raced.map((response) => response.json()));
    expect(raced.map((response) => response.status).sort()).toEqual([200, 403]);
    expect(bodies.map((body) => body.scope ?? body.error).sort()).toEqual(["password:change", "password_expired"]);
    expect(await gateway.database.prisma.session.count({ where: { userId: user.id } })).toBe(1);
    const outcomes = await gateway.database.prisma.loginEvent.findMany({ where: { userId: user.id }, select: { outcome: true } });
    expect(outcomes.map((event) => event.outcome).sort()).toEqual(["password_expired", "success"]);
  });
});

describe("refresh tokens and sessions", () => {
  it("rotates refresh tokens: each is single-use, and reuse revokes the session", async () => {
    await createUserWithPassword(gateway, { email: "rotate@example.com", password });
    const tokens = await (await passwordSignIn(gateway, app, { username: "rotate@example.com", password, scope: "openid offline_access" })).json();
    expect(tokens.refresh_token).toMatch(/^rt_/);

    const first = await refresh(gateway, app, tokens.refresh_token);
    expect(first.status).toBe(200);
    const rotated = await first.json();
    expect(rotated.refresh_token).not.toBe(tokens.refresh_token);
    expect(decodeJwt(rotated.access_token).sid).toBe(decodeJwt(tokens.access_token).sid);

    const reused = await refresh(gateway, app, tokens.refresh_token);
    expect(reused.status).toBe(400);
    expect((await reused.json()).error).toBe("invalid_grant");
    // The thief's reuse ended the session: the legitimate successor token is dead too …
    expect((await refresh(gateway, app, rotated.refresh_token)).status).toBe(400);
    // … and so is the session's access token.
    expect((await gateway.request("/userinfo", { headers: { authorization: `Bearer ${rotated.access_token}` } })).status).toBe(401);
  });

  it("lets exactly one of two concurrent refreshes with one token succeed, and touches the session", async () => {
    await createUserWithPassword(gateway, { email: "race@example.com", password });
    const tokens = await (await passwordSignIn(gateway, app, { username: "race@example.com", password, scope: "offline_access" })).json();
    const sessionId = String(decodeJwt(tokens.access_token).sid);
    const signedInAt = (await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId } })).lastUsedAt;

    const answers = await Promise.all([refresh(gateway, app, tokens.refresh_token), refresh(gateway, app, tokens.refresh_token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 400]);
    const refused = await answers.find((answer) => answer.status === 400)!.json();
    const session = await gateway.database.prisma.session.findUniqueOrThrow({ where: { id: sessionId }, include: { refreshTokens: true } });
    expect(session.lastUsedAt.getTime()).toBeGreaterThanOrEqual(signedInAt.getTime());
    // Which of two outcomes depends on timing, and both are right. With a pool of connections the
    // second refresh may read the token after the first spent it: that is reuse, which ends the session.
    if (refused.error_description.includes("the session is revoked")) {
      expect(session.revokedAt).not.toBeNull();
      expect(session.refreshTokens).toEqual([]);
      return;
    }
    // Both read it unspent: the conditional spend let one through. The spent token and one
    // successor, which expires with the session.
    expect(refused.error_description).toBe("The refresh token was already used");
    expect(session.refreshTokens).toHaveLength(2);
    expect(session.refreshTokens.filter((token) => token.usedAt === null)).toEqual([expect.objectContaining({ expiresAt: session.expiresAt })]);
  });

  it("gives a refreshed token the user's current roles and scopes", async () => {
    const user = await createUserWithPassword(gateway, { email: "promoted@example.com", password });
    const tokens = await (
      await passwordSignIn(gateway, app, { username: "promoted@example.com", password, scope: "offline_access users:read" })
    ).json();
    // users:read is not granted yet: the user holds no role with it.
    expect(decodeJwt(tokens.access_token)).toMatchObject({ scope: "offline_access", roles: [] });

    const scope = await gateway.database.prisma.scope.findFirstOrThrow({ where: { name: "users:read", realmId: gateway.defaultRealmId } });
    const role = await gateway.database.prisma.role.create({
      data: { id: newId("role"), realmId: gateway.defaultRealmId, name: "support", scopes: { create: [{ scopeId: scope.id }] } },
    });
    await gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: user.id, roleId: role.id } });

    const refreshed = await (await refresh(gateway, app, tokens.refresh_token)).json();
    expect(decodeJwt(refreshed.access_token)).toMatchObject({ scope: "offline_access users:read", roles: ["support"] });
    expect((await graphql(gateway, refreshed.access_token, "{ users(first: 1) { totalCount } }")).status).toBe(200);
  });

  it("ends sessions on 'log out of all sessions': refresh fails at once, access tokens within the stated bound", async () => {
    const user = await createUserWithPassword(gateway, { email: "logout@example.com", password });
    const tokens = await (await passwordSignIn(gateway, app, { username: "logout@example.com", password, scope: "offline_access" })).json();
    const me = () => graphql(gateway, tokens.access_token, "{ me { id } }");
    expect((await me()).status).toBe(200);

    await graphqlOk(gateway, await tokenFor(gateway), `mutation($id: ID!) { logoutUser(input: { userId: $id }) { __typename } }`, { id: user.id });
    expect((await (await refresh(gateway, app, tokens.refresh_token)).json()).error).toBe("invalid_grant");
    await new Promise((resolve) => setTimeout(resolve, sessionRecheckMs + 100));
    expect((await me()).status).toBe(401);
  });

  it("refuses a refresh token of another application", async () => {
    await createUserWithPassword(gateway, { email: "other-app@example.com", password });
    const tokens = await (await passwordSignIn(gateway, app, { username: "other-app@example.com", password, scope: "offline_access" })).json();
    const response = await refresh(gateway, spa, tokens.refresh_token);
    expect((await response.json()).error).toBe("invalid_grant");
  });
});

describe("/userinfo and /tokeninfo (seed 002)", () => {
  it("returns the claims the token's scopes release, and refuses machine and bad tokens", async () => {
    await createUserWithPassword(gateway, { email: "info@example.com", password, name: "Info" });
    const tokens = await (await passwordSignIn(gateway, app, { username: "info@example.com", password, scope: "openid email" })).json();
    const userinfo = await gateway.request("/userinfo", { headers: { authorization: `Bearer ${tokens.access_token}` } });
    expect(userinfo.status).toBe(200);
    const claims = await userinfo.json();
    expect(claims).toEqual({ sub: expect.stringMatching(/^usr_/), email: "info@example.com", email_verified: false });

    const machine = await gateway.request("/userinfo", { headers: { authorization: `Bearer ${await tokenFor(gateway)}` } });
    expect(machine.status).toBe(401);
    const garbage = await gateway.request("/userinfo", { headers: { authorization: "Bearer nope" } });
    expect(garbage.status).toBe(401);
    expect(garbage.headers.get("www-authenticate")).toMatch(/invalid_token/);
  });

  it("verifies an ID token at /tokeninfo and returns the profile", async () => {
    await createUserWithPassword(gateway, { email: "tokeninfo@example.com", password, name: "Token Info" });
    const tokens = await (await passwordSignIn(gateway, app, { username: "tokeninfo@example.com", password, scope: "openid" })).json();
    const response = await gateway.request("/tokeninfo", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id_token: tokens.id_token }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ email: "tokeninfo@example.com", name: "Token Info", user_id: expect.stringMatching(/^usergate\|usr_/) });

    for (const idToken of [tokens.access_token, `${tokens.id_token}x`]) {
      const bad = await gateway.request("/tokeninfo", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ id_token: idToken }),
      });
      expect(bad.status).toBe(401);
    }
  });
});

describe("Update JWT (seed 001)", () => {
  const mutation = `mutation($input: UpdateJwtInput!) { updateJwt(input: $input) {
    __typename ... on UpdateJwtPayload { jwt } ... on ValidationError { field message } } }`;
  const signedIn = async (email: string) => (await (await passwordSignIn(gateway, app, { username: email, password })).json()).access_token as string;

  it("re-signs a user's access token with custom claims and the same expiry, refusing reserved claims", async () => {
    await createUserWithPassword(gateway, { email: "jwt@example.com", password });
    const accessToken = await signedIn("jwt@example.com");
    const admin = await tokenFor(gateway);
    const updated = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: { "https://example.com/plan": "pro" } } });
    const before = decodeJwt(accessToken);
    const after = decodeJwt(updated.updateJwt.jwt);
    expect(after).toMatchObject({ ...before, "https://example.com/plan": "pro" });
    expect(after.exp).toBe(before.exp);
    expect((await gateway.request("/userinfo", { headers: { authorization: `Bearer ${updated.updateJwt.jwt}` } })).status).toBe(403);

    const reserved = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: { sub: "someone-else" } } });
    expect(reserved.updateJwt).toMatchObject({ __typename: "ValidationError", field: "input.customClaims.sub" });
    const machine = await graphqlOk(gateway, admin, mutation, { input: { jwt: admin, customClaims: { "https://example.com/a": 1 } } });
    expect(machine.updateJwt).toMatchObject({ __typename: "ValidationError", field: "input.jwt" });
  });

  it("accepts only namespaced custom claims: never registered, authorization or profile claims", async () => {
    await createUserWithPassword(gateway, { email: "jwt-claims@example.com", password });
    const accessToken = await signedIn("jwt-claims@example.com");
    const admin = await tokenFor(gateway);
    for (const claim of ["permissions", "email", "scope", "groups", "org_id", "roles", "plan", "https:plan", "https:///plan", "ftp://example.com/plan"]) {
      const refused = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: { [claim]: "x" } } });
      expect(refused.updateJwt, claim).toMatchObject({ __typename: "ValidationError", field: `input.customClaims.${claim}` });
      expect(refused.updateJwt.message).toMatch(/http:\/\/ or https:\/\/ URL/);
    }
    const namespaced = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: { "https://evil/": true } } });
    expect(decodeJwt(namespaced.updateJwt.jwt)["https://evil/"]).toBe(true);
  });

  it("acts on an administrator's token only for a caller holding all they hold", async () => {
    await insertAdministratorUser(gateway, { email: "jwt-chief@example.com", passwordHash: await hashPassword(password), status: "active" });
    await createUserWithPassword(gateway, { email: "jwt-plain@example.com", password });
    const [chiefToken, plainToken] = [await signedIn("jwt-chief@example.com"), await signedIn("jwt-plain@example.com")];
    const limited = await tokenFor(gateway, adminClient, { scope: "users:write" });
    const claims = { "https://example.com/tier": "gold" };
    expectAccessDenied(await graphql(gateway, limited, mutation, { input: { jwt: chiefToken, customClaims: claims } }));
    expect((await graphqlOk(gateway, limited, mutation, { input: { jwt: plainToken, customClaims: claims } })).updateJwt.__typename).toBe("UpdateJwtPayload");
    expect((await graphqlOk(gateway, await tokenFor(gateway), mutation, { input: { jwt: chiefToken, customClaims: claims } })).updateJwt.__typename).toBe(
      "UpdateJwtPayload",
    );
  });

  it("keeps the re-signed token bound to its session: it ends with it, and an ended session's token is not re-signed", async () => {
    const user = await createUserWithPassword(gateway, { email: "jwt-session@example.com", password });
    const accessToken = await signedIn("jwt-session@example.com");
    const admin = await tokenFor(gateway);
    const claims = { "https://example.com/tier": "gold" };
    const updated = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: claims } });
    await graphqlOk(gateway, admin, `mutation($id: ID!) { logoutUser(input: { userId: $id }) { __typename } }`, { id: user.id });
    expect((await graphql(gateway, updated.updateJwt.jwt, "{ me { id } }")).status).toBe(401);
    const ended = await graphqlOk(gateway, admin, mutation, { input: { jwt: accessToken, customClaims: claims } });
    expect(ended.updateJwt).toMatchObject({ __typename: "ValidationError", field: "input.jwt" });
  });
});
