// POST, PATCH and DELETE /api/v2/users against seeds 000 and 002: status, headers and body, the
// Auth0 metadata merge, and every refusal (400, 401, 403, 404, 409, 413) changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { storedUser } from "../../../test/support/user-fixtures.js";
import { newId } from "../../db/ids.js";
import { managementAdminRoleName } from "../../services/management-api.js";
import { encoded, expectError, expectUnchanged, iso, startV2Api, unknownId, type V2Api } from "./test-kit.js";

let api: V2Api;

beforeAll(async () => {
  api = await startV2Api();
});
afterAll(() => api.close());

const create = (body: unknown, token?: string) => api.call("POST", "/users", { body, token });

describe("POST /users", () => {
  it("creates the seed's example user: 201 with the user, never the password", async () => {
    const response = await create({
      connection: "Username-Password-Authentication",
      email: "jane.doe@example.com",
      password: "SecurePassword123!",
      name: "Jane Doe",
      verify_email: true,
    });
    expect(response.status, response.text).toBe(201);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.headers.get("x-ratelimit-limit")).toBe("50");
    expect(response.body).toMatchObject({
      user_id: expect.stringMatching(/^Username-Password-Authentication\|usr_[0-9a-z]{26}$/),
      email: "jane.doe@example.com",
      name: "Jane Doe",
      created_at: iso,
      blocked: false,
    });
    expect(response.text).not.toContain("SecurePassword123!");
    expect(Object.keys(response.body).filter((key) => /password/i.test(key))).toEqual([]);
    const id = response.body.user_id.split("|")[1];
    expect((await storedUser(api.gateway, id))!.passwordHash).toMatch(/^\$argon2id\$/);
    const read = await api.call("GET", `/users/${encoded(response.body.user_id)}`);
    expect(read.body).toEqual(response.body);
  });

  it("takes every documented field", async () => {
    const response = await create({
      connection: "usergate",
      email: "Full.Fields@Example.com",
      email_verified: true,
      username: "FullFields",
      phone_number: "+1 415 555 0199",
      phone_verified: true,
      name: "Full Fields",
      given_name: "Full",
      family_name: "Fields",
      nickname: "ff",
      picture: "https://example.com/ff.png",
      user_metadata: { theme: "dark" },
      app_metadata: { plan: "pro", roles: ["editor"] },
      blocked: true,
    });
    expect(response.status, response.text).toBe(201);
    expect(response.body).toEqual({
      user_id: expect.stringMatching(/^usergate\|usr_/),
      email: "full.fields@example.com",
      email_verified: true,
      username: "fullfields",
      phone_number: "+14155550199",
      phone_verified: true,
      name: "Full Fields",
      given_name: "Full",
      family_name: "Fields",
      nickname: "ff",
      picture: "https://example.com/ff.png",
      created_at: iso,
      updated_at: iso,
      logins_count: 0,
      blocked: true,
      user_metadata: { theme: "dark" },
      app_metadata: { plan: "pro", roles: ["editor"] },
      identities: [],
    });
  });

  it("answers 409 user_exists for a taken email (any case) or username, creating nothing", async () => {
    await create({ connection: "usergate", email: "taken@example.com", username: "taken" });
    for (const body of [
      { connection: "usergate", email: "TAKEN@example.com" },
      { connection: "other", email: "new@example.com", username: "Taken" },
    ]) {
      const response = await expectUnchanged(api, () => create(body));
      expectError(response, 409, "user_exists");
      expect(response.body).toEqual({ statusCode: 409, error: "Conflict", message: "The user already exists.", errorCode: "user_exists" });
    }
  });

  it.each([
    ["no connection", { email: "a@example.com", password: "SecurePassword123!" }, /connection/],
    ["an unknown field", { connection: "usergate", email: "a@example.com", role: "admin" }, /unknown field role/],
    ["a read-only field", { connection: "usergate", email: "a@example.com", identities: [] }, /identities/],
    ["user_id", { connection: "usergate", email: "a@example.com", user_id: "abc" }, /user_id/],
    ["a number for email", { connection: "usergate", email: 5 }, /email must be a string/],
    ["a string for blocked", { connection: "usergate", email: "a@example.com", blocked: "yes" }, /blocked must be a boolean/],
    ["an array for user_metadata", { connection: "usergate", email: "a@example.com", user_metadata: [1] }, /user_metadata/],
    ["null for name", { connection: "usergate", email: "a@example.com", name: null }, /name/],
    ["an empty connection", { connection: "", email: "a@example.com" }, /connection/],
    ["a malformed connection", { connection: "with space", email: "a@example.com" }, /connection/],
    ["an invalid email", { connection: "usergate", email: "not-an-email" }, /email/],
    ["a weak password", { connection: "usergate", email: "weak@example.com", password: "short" }, /password/],
    ["a malformed phone", { connection: "usergate", phone_number: "call me" }, /phone_number/],
    ["no identifier", { connection: "usergate", name: "Nobody" }, /email/],
    ["a relative picture", { connection: "usergate", email: "p@example.com", picture: "/me.png" }, /picture/],
  ])("answers 400 invalid_body naming the field for %s, creating nothing", async (_case, body, message) => {
    const response = await expectUnchanged(api, () => create(body));
    expectError(response, 400, "invalid_body", message);
  });

  it.each([
    ["malformed JSON", '{"connection": "usergate",'],
    ["an empty body", ""],
    ["a JSON array", "[]"],
    ["a JSON string", '"user"'],
  ])("answers 400 invalid_body for %s", async (_case, body) => {
    expectError(await expectUnchanged(api, () => create(body)), 400, "invalid_body");
  });

  it("answers 413 for a body over the limit, creating nothing", async () => {
    const body = JSON.stringify({ connection: "usergate", email: "big@example.com", user_metadata: { blob: "x".repeat(300 * 1024) } });
    const response = await expectUnchanged(api, () => create(body));
    expectError(response, 413, "payload_too_large");
    // Without Content-Length (chunked), the body is counted as it arrives.
    const chunked = await expectUnchanged(api, async () => {
      const stream = new ReadableStream({
        start(controller) {
          controller.enqueue(new TextEncoder().encode(body));
          controller.close();
        },
      });
      const answer = await api.gateway.request("/api/v2/users", {
        method: "POST",
        headers: { authorization: `Bearer ${await api.token()}`, "content-type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      const text = await answer.text();
      return { status: answer.status, headers: answer.headers, body: JSON.parse(text), text };
    });
    expectError(chunked, 413, "payload_too_large");
  });

  it("answers 401 without a token and 403 without users:write, creating nothing", async () => {
    const body = { connection: "usergate", email: "denied@example.com" };
    expectError(await expectUnchanged(api, () => create(body, null as never)), 401, "invalid_token");
    const forbidden = await expectUnchanged(api, async () => create(body, await api.token("users:read")));
    expectError(forbidden, 403, "insufficient_scope");
  });

  it("answers 403 to users:write without users:read, creating nothing: the answer shows the user", async () => {
    const forbidden = await expectUnchanged(api, async () => create({ connection: "usergate", email: "unseen@example.com" }, await api.token("users:write")));
    expectError(forbidden, 403, "insufficient_scope");
  });
});

describe("PATCH /users/{id}", () => {
  let userId: string;
  let id: string;
  beforeAll(async () => {
    ({ userId, id } = await api.createUser({
      email: "john.doe@example.com",
      name: "John Doe",
      givenName: "John",
      userMetadata: { theme: "light", address: { city: "Paris", zip: "75001" }, obsolete: true },
      appMetadata: { roles: ["editor", "user"], plan: "free" },
    }));
  });
  const patch = (body: unknown, target = userId, token?: string) => api.call("PATCH", `/users/${encoded(target)}`, { body, token });

  it("updates the seed's example: name, and user_metadata merged into what is stored", async () => {
    const response = await patch({ name: "John Smith", user_metadata: { department: "Engineering" } });
    expect(response.status, response.text).toBe(200);
    expect(response.headers.get("x-ratelimit-limit")).toBe("200");
    expect(response.body).toMatchObject({
      user_id: userId,
      name: "John Smith",
      given_name: "John",
      user_metadata: { theme: "light", address: { city: "Paris", zip: "75001" }, obsolete: true, department: "Engineering" },
      app_metadata: { roles: ["editor", "user"], plan: "free" },
    });
  });

  it("merges metadata one level deep: given keys replace whole values, null removes a key, {} clears", async () => {
    const merged = await patch({
      user_metadata: { address: { city: "Lyon" }, obsolete: null },
      app_metadata: { plan: "pro" },
    });
    expect(merged.body.user_metadata).toEqual({ theme: "light", address: { city: "Lyon" }, department: "Engineering" });
    expect(merged.body.app_metadata).toEqual({ roles: ["editor", "user"], plan: "pro" });
    const cleared = await patch({ user_metadata: {} });
    expect(cleared.body.user_metadata).toEqual({});
    expect(cleared.body.app_metadata).toEqual({ roles: ["editor", "user"], plan: "pro" });
  });

  it("keeps every key of concurrent PATCHes of different metadata keys", async () => {
    const { userId: target } = await api.createUser({ email: "concurrent.patches@example.com", appMetadata: { base: true } });
    const keys = Array.from({ length: 8 }, (_, i) => `key${i}`);
    const responses = await Promise.all(keys.map((key) => patch({ app_metadata: { [key]: key } }, target)));
    expect(responses.map((response) => response.status)).toEqual(keys.map(() => 200));
    const stored = await api.call("GET", `/users/${encoded(target)}`);
    expect(stored.body.app_metadata).toEqual({ base: true, ...Object.fromEntries(keys.map((key) => [key, key])) });
  });

  it("blocks and unblocks", async () => {
    expect((await patch({ blocked: true })).body.blocked).toBe(true);
    expect((await storedUser(api.gateway, id))!.status).toBe("suspended");
    expect((await patch({ blocked: false })).body.blocked).toBe(false);
    expect((await storedUser(api.gateway, id))!.status).toBe("active");
  });

  it("sets a new password without ever returning it, and clears fields given null", async () => {
    const before = (await storedUser(api.gateway, id))!.passwordHash;
    const response = await patch({ password: "AnotherSecret456!", given_name: null, nickname: "jd" });
    expect(response.status, response.text).toBe(200);
    expect(response.text).not.toContain("AnotherSecret456!");
    expect(response.body).not.toHaveProperty("given_name");
    expect(response.body.nickname).toBe("jd");
    const after = (await storedUser(api.gateway, id))!.passwordHash;
    expect(after).toMatch(/^\$argon2id\$/);
    expect(after).not.toBe(before);
  });

  it("accepts the bare id, the user's own connection and an empty body", async () => {
    expect((await patch({ nickname: "johnny", connection: "usergate" }, id)).body.nickname).toBe("johnny");
    const unchanged = await expectUnchanged(api, () => patch({}));
    expect(unchanged.status).toBe(200);
    expect(unchanged.body.user_id).toBe(userId);
  });

  it("answers 409 user_exists when the new email is taken, changing nothing", async () => {
    await api.createUser({ email: "someone.else@example.com" });
    expectError(await expectUnchanged(api, () => patch({ email: "Someone.Else@example.com" })), 409, "user_exists");
  });

  it("answers 404 inexistent_user for an unknown user or a wrong connection, changing nothing", async () => {
    expectError(await expectUnchanged(api, () => patch({ name: "X" }, `usergate|${unknownId("usr")}`)), 404, "inexistent_user");
    expectError(await expectUnchanged(api, () => patch({ name: "X" }, `auth0|${id}`)), 404, "inexistent_user");
    expectError(await expectUnchanged(api, () => patch({ name: "X" }, "nobody")), 400, "invalid_uri");
  });

  it.each([
    ["an unknown field", { name: "X", colour: "red" }, /colour/],
    ["identities", { identities: [] }, /identities/],
    ["a number for name", { name: 42 }, /name must be a string/],
    ["a string for user_metadata", { user_metadata: "x" }, /user_metadata/],
    ["another connection", { connection: "google-oauth2", name: "X" }, /connection/],
    ["an invalid email", { email: "nope" }, /email/],
    ["null for email", { email: null }, /email/],
    ["a weak password", { password: "123" }, /password/],
    ["too large metadata", { app_metadata: { blob: "x".repeat(20_000) } }, /app_metadata/],
  ])("answers 400 invalid_body for %s, changing nothing", async (_case, body, message) => {
    expectError(await expectUnchanged(api, () => patch(body)), 400, "invalid_body", message);
  });

  it("answers 400 for malformed JSON and 403 without users:write, changing nothing", async () => {
    expectError(await expectUnchanged(api, () => patch("{name:")), 400, "invalid_body");
    const forbidden = await expectUnchanged(api, async () => patch({ name: "X" }, userId, await api.token("users:read")));
    expectError(forbidden, 403, "insufficient_scope");
  });

  it("answers 403 insufficient_scope when users:write would take over an administrator, changing nothing", async () => {
    const administrator = await api.createUser({ email: "the.admin@example.com", password: "AdminSecret123!" });
    const adminRole = await api.gateway.database.prisma.role.findFirstOrThrow({
      where: { realmId: api.gateway.defaultRealmId, name: managementAdminRoleName },
    });
    await api.gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: administrator.id, roleId: adminRole.id } });
    const writer = await api.token("users:read users:write");
    for (const body of [{ password: "TakenOver123!" }, { email: "attacker@example.com" }, { username: "attacker" }, { blocked: true }]) {
      expectError(await expectUnchanged(api, () => patch(body, administrator.userId, writer)), 403, "insufficient_scope", /users:roles/);
    }
    expectError(
      await expectUnchanged(api, () => api.call("DELETE", `/users/${encoded(administrator.userId)}`, { token: writer })),
      403,
      "insufficient_scope",
    );
    // Fields that are no credential or identifier stay users:write changes.
    expect((await patch({ nickname: "boss" }, administrator.userId, writer)).status).toBe(200);
  });
});

describe("DELETE /users/{id}", () => {
  it("answers 204 with no body, then 404 for the deleted user", async () => {
    const { userId } = await api.createUser({ email: "doomed@example.com" });
    const response = await api.call("DELETE", `/users/${encoded(userId)}`);
    expect(response.status).toBe(204);
    expect(response.text).toBe("");
    expect(response.headers.get("x-ratelimit-limit")).toBe("200");
    expectError(await api.call("GET", `/users/${encoded(userId)}`), 404, "inexistent_user");
    expectError(await api.call("DELETE", `/users/${encoded(userId)}`), 404, "inexistent_user");
  });

  it("deletes nothing for a wrong connection, an unknown id, a malformed id or a token without users:write", async () => {
    const { id, userId } = await api.createUser({ email: "survivor@example.com" });
    expectError(await expectUnchanged(api, () => api.call("DELETE", `/users/${encoded(`auth0|${id}`)}`)), 404, "inexistent_user");
    expectError(await expectUnchanged(api, () => api.call("DELETE", `/users/${unknownId("usr")}`)), 404, "inexistent_user");
    expectError(await expectUnchanged(api, () => api.call("DELETE", `/users/${unknownId("rol")}`)), 400, "invalid_uri");
    const forbidden = await expectUnchanged(api, async () => api.call("DELETE", `/users/${encoded(userId)}`, { token: await api.token("users:read") }));
    expectError(forbidden, 403, "insufficient_scope");
    expectError(await expectUnchanged(api, () => api.call("DELETE", `/users/${encoded(userId)}`, { token: null })), 401, "invalid_token");
  });
});
