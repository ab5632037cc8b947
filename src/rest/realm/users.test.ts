import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk } from "../../../test/support/api-client.js";
import { expectError, expectUnchanged, iso, startRealmApi, unknownId, type RealmApi } from "./test-kit.js";

let api: RealmApi;
let roleIds: string[];

beforeAll(async () => {
  api = await startRealmApi();
  roleIds = [];
  for (const name of ["editor", "viewer"]) roleIds.push((await api.call(api.acme, "POST", "/roles", { body: { name } })).body.data.id);
});
afterAll(() => api.close());

let counter = 0;
const create = (body: Record<string, unknown>, token?: string) => api.call(api.acme, "POST", "/users", { body, token });
const newUser = async (extra: Record<string, unknown> = {}) => {
  const response = await create({ email: `user${++counter}@acme.test`, name: `User ${counter}`, ...extra });
  expect(response.status, JSON.stringify(response.body)).toBe(201);
  return response.body.data.id as string;
};

describe("users (seed 003)", () => {
  it("creates a user as the seed's example does; the password is never shown", async () => {
    const created = await create({ email: "jane@example.com", name: "Jane Doe", password: "securePassword123" });
    expect(created.status).toBe(201);
    expect(created.headers.get("x-ratelimit-limit")).toBe("50");
    expect(created.body.data).toMatchObject({
      id: expect.stringMatching(/^usr_[0-9a-z]{26}$/),
      email: "jane@example.com",
      name: "Jane Doe",
      is_suspended: false,
      created_at: iso,
    });
    expect(JSON.stringify(created.body)).not.toMatch(/password/i);
    const read = await api.call(api.acme, "GET", `/users/${created.body.data.id}`);
    expect(read.status).toBe(200);
    expect(read.body).toEqual(created.body);
    expect(read.headers.get("x-ratelimit-limit")).toBeNull();
  });

  it("lists with page, per_page and search as the seed shows", async () => {
    await newUser({ name: "John Doe", email: "john@example.com" });
    await newUser({ name: "Johnny Cash", email: "cash@example.com" });
    await newUser({ name: "Mary Major" });
    const listed = await api.call(api.acme, "GET", "/users?page=1&per_page=20&search=john");
    expect(listed.status).toBe(200);
    expect(listed.headers.get("x-ratelimit-limit")).toBe("500");
    expect(listed.headers.get("x-ratelimit-remaining")).toEqual(expect.stringMatching(/^\d+$/));
    expect(listed.headers.get("x-ratelimit-reset")).toEqual(expect.stringMatching(/^\d+$/));
    expect(listed.body.meta).toEqual({ current_page: 1, per_page: 20, total: 2 });
    expect(listed.body.data[0]).toEqual(
      expect.objectContaining({ id: expect.any(String), email: "john@example.com", name: "John Doe", is_suspended: false, created_at: iso }),
    );
    const second = await api.call(api.acme, "GET", "/users?page=2&per_page=1&search=JOHN");
    expect(second.body).toEqual({ data: [expect.objectContaining({ name: "Johnny Cash" })], meta: { current_page: 2, per_page: 1, total: 2 } });
    const phrase = await api.call(api.acme, "GET", `/users?search=${encodeURIComponent('name:"x" OR (')}`);
    expect(phrase.body).toEqual({ data: [], meta: { current_page: 1, per_page: 20, total: 0 } });
  });

  it("updates, changes the password, suspends and unsuspends, deletes", async () => {
    const id = await newUser({ password: "firstPassword1" });
    const updated = await api.call(api.acme, "PATCH", `/users/${id}`, { body: { name: "Jane Smith", nickname: "js", user_metadata: { plan: "pro" } } });
    expect(updated.status).toBe(200);
    expect(updated.headers.get("x-ratelimit-limit")).toBe("200");
    expect(updated.body.data).toMatchObject({ id, name: "Jane Smith", nickname: "js", user_metadata: { plan: "pro" } });
    const cleared = await api.call(api.acme, "PATCH", `/users/${id}`, { body: { nickname: null } });
    expect(cleared.body.data.nickname).toBeNull();

    const before = await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });
    const password = await api.call(api.acme, "PATCH", `/users/${id}/password`, { body: { password: "newSecurePassword456" } });
    expect(password.status).toBe(200);
    expect(password.headers.get("x-ratelimit-limit")).toBe("200");
    expect(password.body.data.id).toBe(id);
    const after = await api.gateway.database.prisma.user.findUniqueOrThrow({ where: { id } });
    expect(after.passwordHash).not.toBe(before.passwordHash);

    const suspended = await api.call(api.acme, "PATCH", `/users/${id}/is-suspended`, { body: { is_suspended: true } });
    expect(suspended.status).toBe(200);
    expect(suspended.body.data.is_suspended).toBe(true);
    const unsuspended = await api.call(api.acme, "PATCH", `/users/${id}/is-suspended`, { body: { is_suspended: false } });
    expect(unsuspended.body.data.is_suspended).toBe(false);

    const deleted = await api.call(api.acme, "DELETE", `/users/${id}`);
    expect(deleted.status).toBe(204);
    expectError(await api.call(api.acme, "GET", `/users/${id}`), 404, "not_found", "User not found");
  });

  it("assigns roles with role_ids, lists them and removes one", async () => {
    const id = await newUser();
    const assigned = await api.call(api.acme, "POST", `/users/${id}/roles`, { body: { role_ids: roleIds } });
    expect(assigned.status).toBe(200);
    expect(assigned.headers.get("x-ratelimit-limit")).toBe("100");
    expect(assigned.body).toEqual({
      data: [
        { id: roleIds[0], name: "editor", description: null, created_at: iso, updated_at: iso },
        expect.objectContaining({ id: roleIds[1], name: "viewer" }),
      ],
    });
    // Whoever assigns a user's roles sees them: users:roles alone, as seed 003 says.
    const listed = await api.call(api.acme, "GET", `/users/${id}/roles`, { token: await api.acme.token("users:roles") });
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual(assigned.body);
    const removed = await api.call(api.acme, "DELETE", `/users/${id}/roles/${roleIds[0]}`);
    expect(removed.status).toBe(204);
    expect(removed.headers.get("x-ratelimit-limit")).toBe("100");
    expect((await api.call(api.acme, "GET", `/users/${id}/roles`)).body.data.map((role: any) => role.id)).toEqual([roleIds[1]]);
  });

  it("lists connected providers", async () => {
    const id = await newUser();
    expect((await api.call(api.acme, "GET", `/users/${id}/identities`)).body).toEqual({ data: [] });
    await graphqlOk(
      api.gateway,
      await api.acme.token(),
      `mutation($id: ID!) { linkUserIdentity(input: { userId: $id, provider: "github", providerUserId: "4242", accessToken: "secret-gh-token" }) { __typename } }`,
      { id },
    );
    const listed = await api.call(api.acme, "GET", `/users/${id}/identities`);
    expect(listed.status).toBe(200);
    expect(listed.body).toEqual({
      data: [{ id: expect.any(String), provider: "github", provider_user_id: "4242", connection: "github", is_social: true, profile_data: {}, created_at: iso }],
    });
    expect(JSON.stringify(listed.body)).not.toContain("secret-gh-token");
  });

  it("answers 400 to malformed bodies, unknown fields and bad ids, changing nothing", async () => {
    const id = await newUser();
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/users", "{\"email\": \"a@b.c\",}", /not valid JSON/],
      ["POST", "/users", "null", /JSON object/],
      ["POST", "/users", { email: 12 }, /^email must be a string/],
      ["POST", "/users", { email: "x@acme.test", is_admin: true }, /Unknown field: is_admin/],
      ["POST", "/users", { email: "x@acme.test", user_metadata: "pro" }, /^user_metadata must be an object/],
      ["POST", "/users", { email: "x@acme.test", role_ids: ["admin"] }, /^role_ids\.0 is not a role id/],
      ["PATCH", `/users/${id}`, { password: "sneakyPassword1" }, /Unknown field: password/],
      ["PATCH", `/users/${id}`, { email_verified: "yes" }, /^email_verified must be true or false/],
      ["PATCH", "/users/john", { name: "x" }, /^id is not a user id/],
      ["PATCH", `/users/${id}/password`, { password: 12345678 }, /^password must be a string/],
      ["PATCH", `/users/${id}/password`, { password: "longEnough123", confirm: "longEnough123" }, /Unknown field: confirm/],
      ["PATCH", `/users/${id}/is-suspended`, { is_suspended: "true" }, /^is_suspended must be true or false/],
      ["PATCH", `/users/${roleIds[0]}/is-suspended`, { is_suspended: true }, /^id is not a user id/],
      ["POST", `/users/${id}/roles`, { role_ids: roleIds[0] }, /^role_ids must be an array/],
      ["POST", `/users/${id}/roles`, { roles: roleIds }, /Unknown field: roles/],
      ["DELETE", `/users/${id}/roles/editor`, undefined, /^roleId is not a role id/],
      ["GET", `/users/${id.toUpperCase()}/identities`, undefined, /^id is not a user id/],
      ["GET", "/users?per_page=500", undefined, /^per_page/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 400, "invalid_request", message);
    }
  });

  it("answers 422 naming the field, changing nothing", async () => {
    const id = await newUser({ email: "taken@acme.test" });
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/users", { name: "No Email" }, /^email is required/],
      ["POST", "/users", { email: "not-an-email" }, /^email/],
      ["POST", "/users", { email: "TAKEN@acme.test" }, /^email/],
      ["POST", "/users", { email: "short@acme.test", password: "short" }, /^password/],
      ["POST", "/users", { email: "r@acme.test", role_ids: [unknownId("rol")] }, /^role_ids contains rol_/],
      ["PATCH", `/users/${id}`, { picture: "not a url" }, /^picture/],
      ["PATCH", `/users/${id}/password`, { password: "short" }, /^password/],
      ["PATCH", `/users/${id}/password`, {}, /^password is required/],
      ["PATCH", `/users/${id}/is-suspended`, {}, /^is_suspended is required/],
      ["POST", `/users/${id}/roles`, { role_ids: [] }, /^role_ids must hold at least 1 item/],
      ["POST", `/users/${id}/roles`, { role_ids: [roleIds[0], unknownId("rol")] }, /^role_ids contains/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 422, "validation_error", message);
    }
  });

  it("answers 404 for users and roles that do not exist in the realm, changing nothing", async () => {
    const missing = unknownId("usr");
    const id = await newUser();
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/users/${missing}`, undefined, "User not found"],
      ["PATCH", `/users/${missing}`, { name: "x" }, "User not found"],
      ["DELETE", `/users/${missing}`, undefined, "User not found"],
      ["PATCH", `/users/${missing}/password`, { password: "longEnough123" }, "User not found"],
      ["PATCH", `/users/${missing}/is-suspended`, { is_suspended: true }, "User not found"],
      ["GET", `/users/${missing}/roles`, undefined, "User not found"],
      ["POST", `/users/${missing}/roles`, { role_ids: roleIds }, "User not found"],
      ["DELETE", `/users/${missing}/roles/${roleIds[0]}`, undefined, "User not found"],
      ["DELETE", `/users/${id}/roles/${unknownId("rol")}`, undefined, "Role not found"],
      ["GET", `/users/${missing}/identities`, undefined, "User not found"],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 404, "not_found", message);
    }
    // A user of the default realm, addressed with an acme token on the acme path.
    const theirs = await api.call(api.defaultRealm, "POST", "/users", { body: { email: "elsewhere@default.test" } });
    expect(theirs.status).toBe(201);
    for (const [method, path, body] of [
      ["GET", `/users/${theirs.body.data.id}`, undefined],
      ["PATCH", `/users/${theirs.body.data.id}/is-suspended`, { is_suspended: true }],
      ["DELETE", `/users/${theirs.body.data.id}`, undefined],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body })), 404, "not_found", "User not found");
    }
  });

  it("answers 401 and 403 by the table's scopes, changing nothing", async () => {
    const id = await newUser();
    expectError(await api.call(api.acme, "GET", "/users", { token: null }), 401, "unauthorized");
    const reader = await api.acme.token("users:read");
    for (const [method, path, body] of [
      ["POST", "/users", { email: "nope@acme.test" }],
      ["PATCH", `/users/${id}`, { name: "x" }],
      ["DELETE", `/users/${id}`, undefined],
      ["PATCH", `/users/${id}/password`, { password: "longEnough123" }],
      ["PATCH", `/users/${id}/is-suspended`, { is_suspended: true }],
      ["GET", `/users/${id}/roles`, undefined],
      ["POST", `/users/${id}/roles`, { role_ids: roleIds }],
      ["DELETE", `/users/${id}/roles/${roleIds[0]}`, undefined],
    ] as const) {
      const response = await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token: reader }));
      expectError(response, 403, "insufficient_scope");
    }
    const writer = await api.acme.token("users:write users:roles");
    for (const path of ["/users", `/users/${id}`, `/users/${id}/identities`]) {
      expectError(await api.call(api.acme, "GET", path, { token: writer }), 403, "insufficient_scope");
    }
    // users:write alone cannot hand out roles at creation either, nor create a user it may not see.
    const writeOnly = await api.acme.token("users:write");
    expectError(await expectUnchanged(api, () => create({ email: "r2@acme.test", role_ids: roleIds }, writeOnly)), 403, "insufficient_scope");
    expectError(await expectUnchanged(api, () => create({ email: "r3@acme.test" }, writeOnly)), 403, "insufficient_scope");
  });
});
