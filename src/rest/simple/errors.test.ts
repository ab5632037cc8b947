// Seed 004's error codes (400, 401, 403, 404, 409; 429 in ./rate-limit.test.ts) in the profile's
// {error, message} body; a refused request changes nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk } from "../../../test/support/api-client.js";
import { createOtherRealm, insertRole, insertUser } from "../../../test/support/directory-rows.js";
import { tokenWithScopes } from "../../../test/support/user-fixtures.js";
import { expectError, expectUnchanged, startSimpleApi, unknownUserId, type SimpleApi } from "./test-kit.js";

let api: SimpleApi;
let targetId: string;

beforeAll(async () => {
  api = await startSimpleApi();
  await insertRole(api.gateway, { name: "editor" });
  const target = await insertUser(api.gateway, { email: "target@example.test", name: "Target", userMetadata: { settings: { theme: "light" } } });
  targetId = target.id;
});
afterAll(() => api.close());

describe("400 Bad Request - Invalid parameters", () => {
  it("refuses malformed and wrongly typed bodies, unknown fields and bad values, changing nothing", async () => {
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "", "{", /^The body is not valid JSON/],
      ["POST", "", "", /^A JSON body is required/],
      ["POST", "", "[]", /^The body must be a JSON object/],
      ["POST", "", "\"x@example.test\"", /^The body must be a JSON object/],
      ["POST", "", { name: "No Email" }, /^email is required/],
      ["POST", "", { email: 42 }, /^email must be a string/],
      ["POST", "", { email: "a@example.test", name: ["x"] }, /^name must be a string/],
      ["POST", "", { email: "a@example.test", settings: "dark" }, /^settings must be an object/],
      ["POST", "", { email: "a@example.test", settings: [1] }, /^settings must be an object/],
      ["POST", "", { email: "a@example.test", status: "active" }, /^Unknown field: status/],
      ["POST", "", { email: "a@example.test", role: "ghost" }, /^role "ghost" does not name an existing role/],
      ["POST", "", { email: "not-an-email" }, /^email/],
      ["POST", "", { email: "a@example.test", password: "short" }, /^password/],
      ["POST", "", { email: "a@example.test", settings: { blob: "x".repeat(17 * 1024) } }, /^settings/],
      ["PUT", `/${targetId}`, "{", /^The body is not valid JSON/],
      ["PUT", `/${targetId}`, {}, /at least one of name, role, status, settings/],
      ["PUT", `/${targetId}`, { email: "new@example.test" }, /^Unknown field: email/],
      ["PUT", `/${targetId}`, { status: "blocked" }, /^status must be one of active, inactive, pending, suspended/],
      ["PUT", `/${targetId}`, { status: null }, /^status must be/],
      ["PUT", `/${targetId}`, { name: 7 }, /^name must be a string/],
      ["PUT", `/${targetId}`, { name: "" }, /^name must not be empty/],
      ["PUT", `/${targetId}`, { name: "Changed", role: "ghost" }, /^role "ghost" does not name an existing role/],
      ["PUT", `/${targetId}`, { settings: { theme: "dark" }, extra: true }, /^Unknown field: extra/],
      ["PUT", "/not-a-user", { name: "x" }, /^user_id must be a user id/],
      ["PUT", "/rol_01jzzzzzzzzzzzzzzzzzzzzzzz", { name: "x" }, /^user_id must be a user id/],
      ["DELETE", "/usr_123", undefined, /^user_id must be a user id/],
      ["DELETE", "/USR_01JZZZZZZZZZZZZZZZZZZZZZZZ", undefined, /^user_id must be a user id/],
    ];
    for (const [method, path, body, message] of cases) {
      const response = await expectUnchanged(api, () => api.call(method, path, { body }));
      expectError(response, 400, "invalid_request", message);
    }
  });

  it("refuses a bad user_id on GET", async () => {
    expectError(await api.call("GET", "/123"), 400, "invalid_request", /^user_id must be a user id/);
  });

  it("refuses an oversized body with the gateway's 413, changing nothing", async () => {
    const body = JSON.stringify({ email: "big@example.test", settings: { blob: "x".repeat(300 * 1024) } });
    const response = await expectUnchanged(api, () => api.call("POST", "", { body }));
    expectError(response, 413, "payload_too_large");
  });
});

describe("401 Unauthorized - Authentication required", () => {
  it("answers every route without a valid token with a challenge", async () => {
    for (const token of [null, "not-a-jwt"]) {
      for (const [method, path, body] of [
        ["GET", ""],
        ["POST", "", { email: "anon@example.test" }],
        ["GET", `/${targetId}`],
        ["PUT", `/${targetId}`, { name: "Anon" }],
        ["DELETE", `/${targetId}`],
      ] as const) {
        const response = await expectUnchanged(api, () => api.call(method, path, { token, body }));
        expectError(response, 401, "unauthorized");
        expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
        expect(response.headers.get("x-ratelimit-limit")).toBeNull();
      }
    }
  });
});

describe("403 Forbidden - Insufficient permissions", () => {
  it("answers a token without the operation's scope, changing nothing", async () => {
    const reader = await tokenWithScopes(api.gateway, api.adminToken, ["users:read"]);
    expect((await api.call("GET", `/${targetId}`, { token: reader })).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "", { email: "reader@example.test" }],
      ["PUT", `/${targetId}`, { name: "Reader" }],
      ["DELETE", `/${targetId}`],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(method, path, { token: reader, body })), 403, "insufficient_scope");
    }
    const writer = await tokenWithScopes(api.gateway, api.adminToken, ["users:write"]);
    expectError(await api.call("GET", "", { token: writer }), 403, "insufficient_scope");
    expectError(await api.call("GET", `/${targetId}`, { token: writer }), 403, "insufficient_scope");
  });

  it("needs roles:read to name a role and users:roles to assign it; a refused role change changes nothing", async () => {
    const writer = await tokenWithScopes(api.gateway, api.adminToken, ["users:read", "users:write", "roles:read"]);
    for (const [method, path, body] of [
      ["POST", "", { email: "writer@example.test", role: "editor" }],
      ["PUT", `/${targetId}`, { name: "Writer", role: "editor" }],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(method, path, { token: writer, body })), 403, "insufficient_scope");
    }
    const blind = await tokenWithScopes(api.gateway, api.adminToken, ["users:read", "users:write", "users:roles"]);
    expectError(await expectUnchanged(api, () => api.call("PUT", `/${targetId}`, { token: blind, body: { role: "editor" } })), 403, "insufficient_scope");
    expectError(await api.call("GET", "?role=editor", { token: blind }), 403, "insufficient_scope");
    const created = await api.call("POST", "", { token: writer, body: { email: "writer@example.test" } });
    expect(created.status).toBe(201);
  });

  it("answers a token of another realm 403 on every route, whether or not the user exists, and changes nothing", async () => {
    const other = await createOtherRealm(api.gateway, api.adminToken);
    const own = await graphqlOk(
      api.gateway,
      other.token,
      `mutation { createUser(input: { email: "theirs@example.test" }) { ... on UserPayload { user { id } } } }`,
    );
    const theirs: string = own.createUser.user.id;
    const requests = [
      ["GET", ""],
      ["GET", "?status=active"],
      ["POST", "", { email: "intruder@example.test" }],
      ["POST", "", "{"],
      ...[targetId, unknownUserId, theirs].flatMap((id) => [
        ["GET", `/${id}`],
        ["PUT", `/${id}`, { name: "Intruder" }],
        ["DELETE", `/${id}`],
      ]),
    ] as Array<[string, string, unknown?]>;
    const bodies = new Set<string>();
    for (const [method, path, body] of requests) {
      const response = await expectUnchanged(api, () => api.call(method, path, { token: other.token, body }));
      expectError(response, 403, "forbidden");
      expect(response.headers.get("x-ratelimit-limit")).toBeNull();
      bodies.add(JSON.stringify(response.body));
    }
    expect(bodies.size).toBe(1);
  });
});

describe("404 Not Found - User does not exist", () => {
  it("answers GET, PUT and DELETE of an unknown user, changing nothing", async () => {
    for (const [method, body] of [["GET"], ["PUT", { name: "Nobody" }], ["PUT", { role: "editor" }], ["DELETE"]] as const) {
      const response = await expectUnchanged(api, () => api.call(method, `/${unknownUserId}`, { body }));
      expectError(response, 404, "not_found", "User not found");
    }
  });
});

describe("409 Conflict - Email already in use", () => {
  it("refuses a second user with the same email in any letter case, changing nothing", async () => {
    const response = await expectUnchanged(api, () => api.call("POST", "", { body: { email: "TARGET@example.test", name: "Twin" } }));
    expectError(response, 409, "conflict", "Email already in use");
  });
});
