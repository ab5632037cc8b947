// GET|POST|DELETE /api/v2/users/{id}/roles and GET /users/{id}/permissions against seed 000's
// "Role Management": bodies, 204 on writes, idempotence, and the refusals changing nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "../../db/ids.js";
import { managementAdminRoleName } from "../../services/management-api.js";
import { encoded, expectError, expectUnchanged, startV2Api, unknownId, type V2Api } from "./test-kit.js";

let api: V2Api;
let editor: string;
let viewer: string;
let plain: string;
let user: { id: string; userId: string };

beforeAll(async () => {
  api = await startV2Api();
  editor = await api.createRole("editor", "Content Editor Role", ["users:read", "users:write"]);
  viewer = await api.createRole("viewer", "Standard User Role", ["users:read", "roles:read"]);
  plain = await api.createRole("plain");
  const resource = await api.graphql(
    `mutation { createResource(input: { name: "Posts API", indicator: "https://api.example.com/posts" }) { ... on ResourcePayload { resource { id } } } }`,
  );
  const scope = await api.graphql(
    `mutation($input: CreateScopeInput!) { createScope(input: $input) { ... on ScopePayload { scope { id } } } }`,
    { input: { resourceId: resource.createResource.resource.id, name: "read:posts", description: "Read posts" } },
  );
  await api.graphql(`mutation($input: RoleScopesInput!) { assignScopesToRole(input: $input) { __typename } }`, {
    input: { roleId: plain, scopeIds: [scope.createScope.scope.id] },
  });
  user = await api.createUser({ email: "john.doe@example.com", name: "John Doe" });
});
afterAll(() => api.close());

const rolesOf = (userId = user.userId, query = "", token?: string) => api.call("GET", `/users/${encoded(userId)}/roles${query}`, { token });
const change = (method: "POST" | "DELETE", body: unknown, userId = user.userId, token?: string) =>
  api.call(method, `/users/${encoded(userId)}/roles`, { body, token });

describe("POST, GET and DELETE /users/{id}/roles", () => {
  it("starts with no roles: a bare empty array", async () => {
    const response = await rolesOf();
    expect(response.status).toBe(200);
    expect(response.body).toEqual([]);
    expect(response.headers.get("x-ratelimit-limit")).toBe("100");
  });

  it("assigns roles with 204 and no body, idempotently, and lists them as the seed shows", async () => {
    const assigned = await change("POST", { roles: [editor, viewer] });
    expect(assigned.status, assigned.text).toBe(204);
    expect(assigned.text).toBe("");
    expect(assigned.headers.get("x-ratelimit-remaining")).not.toBeNull();
    expect((await change("POST", { roles: [editor] })).status).toBe(204);
    const listed = await rolesOf();
    expect(listed.body).toEqual(
      expect.arrayContaining([
        { id: editor, name: "editor", description: "Content Editor Role" },
        { id: viewer, name: "viewer", description: "Standard User Role" },
      ]),
    );
    expect(listed.body).toHaveLength(2);
  });

  it("pages with include_totals", async () => {
    const page = await rolesOf(user.userId, "?per_page=1&page=1&include_totals=true");
    expect(page.body).toEqual({ start: 1, limit: 1, total: 2, roles: [expect.objectContaining({ id: expect.stringMatching(/^rol_/) })] });
    expectError(await rolesOf(user.userId, "?per_page=101"), 400, "invalid_query_string", /per_page/);
  });

  it("lists the permissions the roles grant, once each, with the roles that grant them", async () => {
    await change("POST", { roles: [plain] });
    const response = await api.call("GET", `/users/${encoded(user.userId)}/permissions`);
    expect(response.status, response.text).toBe(200);
    const names = response.body.map((permission: any) => permission.permission_name);
    expect(names).toEqual(expect.arrayContaining(["users:read", "users:write", "roles:read", "read:posts"]));
    expect(names).toHaveLength(4);
    const posts = response.body.find((permission: any) => permission.permission_name === "read:posts");
    expect(posts).toEqual({
      permission_name: "read:posts",
      description: "Read posts",
      resource_server_identifier: "https://api.example.com/posts",
      resource_server_name: "Posts API",
      sources: [{ source_id: plain, source_name: "plain", source_type: "ROLE" }],
    });
    const usersRead = response.body.find((permission: any) => permission.permission_name === "users:read");
    expect(usersRead.sources.map((source: any) => source.source_name).sort()).toEqual(["editor", "viewer"]);
    const paged = await api.call("GET", `/users/${encoded(user.userId)}/permissions?per_page=3&page=1&include_totals=true`);
    expect(paged.body).toMatchObject({ start: 3, limit: 3, total: 4, permissions: [expect.any(Object)] });
  });

  it("removes roles with 204; removing a role not held is no change", async () => {
    const removed = await change("DELETE", { roles: [viewer, plain] });
    expect(removed.status, removed.text).toBe(204);
    expect(removed.text).toBe("");
    expect((await rolesOf()).body).toEqual([{ id: editor, name: "editor", description: "Content Editor Role" }]);
    expect((await change("DELETE", { roles: [viewer] })).status).toBe(204);
  });

  it("answers 404 inexistent_role for a role that does not exist (or is another realm's), changing nothing", async () => {
    const response = await expectUnchanged(api, () => change("POST", { roles: [viewer, unknownId("rol")] }));
    expectError(response, 404, "inexistent_role", new RegExp(unknownId("rol")));
  });

  it.each([
    ["no roles field", {}, /roles/],
    ["an empty list", { roles: [] }, /roles/],
    ["a malformed id", { roles: ["editor"] }, /roles\.0/],
    ["a string for roles", { roles: "rol_x" }, /roles/],
    ["an unknown field", { roles: [unknownId("rol")], tenant: "x" }, /tenant/],
    ["101 roles", { roles: Array.from({ length: 101 }, () => unknownId("rol")) }, /roles/],
    ["malformed JSON", '{"roles": [', /JSON/],
  ])("answers 400 invalid_body for %s, changing nothing", async (_case, body, message) => {
    expectError(await expectUnchanged(api, () => change("POST", body)), 400, "invalid_body", message);
    expectError(await expectUnchanged(api, () => change("DELETE", body)), 400, "invalid_body", message);
  });

  it("answers 404 inexistent_user for an unknown user or a wrong connection, changing nothing", async () => {
    for (const userId of [`usergate|${unknownId("usr")}`, `auth0|${user.id}`]) {
      expectError(await expectUnchanged(api, () => change("POST", { roles: [viewer] }, userId)), 404, "inexistent_user");
      expectError(await expectUnchanged(api, () => change("DELETE", { roles: [editor] }, userId)), 404, "inexistent_user");
      expectError(await rolesOf(userId), 404, "inexistent_user");
      expectError(await api.call("GET", `/users/${encoded(userId)}/permissions`), 404, "inexistent_user");
    }
    expectError(await rolesOf("nobody"), 400, "invalid_uri");
  });

  it("answers 401 and 403 (no users:roles to change, no users:read to list), changing nothing", async () => {
    const reader = await api.token("users:read");
    expectError(await expectUnchanged(api, () => change("POST", { roles: [viewer] }, user.userId, reader)), 403, "insufficient_scope");
    expectError(await expectUnchanged(api, () => change("DELETE", { roles: [editor] }, user.id, reader)), 403, "insufficient_scope");
    expectError(await expectUnchanged(api, () => change("POST", { roles: [viewer] }, user.userId, null as never)), 401, "invalid_token");
    expectError(await rolesOf(user.userId, "", await api.token("roles:read")), 403, "insufficient_scope");
  });

  it("answers 403 insufficient_scope when users:roles would demote an administrator, changing nothing", async () => {
    const administrator = await api.createUser({ email: "the.admin@example.com" });
    const adminRole = await api.gateway.database.prisma.role.findFirstOrThrow({
      where: { realmId: api.gateway.defaultRealmId, name: managementAdminRoleName },
    });
    await api.gateway.database.prisma.userRole.create({ data: { id: newId("userRole"), userId: administrator.id, roleId: adminRole.id } });
    const rolesOnly = await api.token("users:read users:roles");
    const refused = await expectUnchanged(api, () => change("DELETE", { roles: [adminRole.id] }, administrator.userId, rolesOnly));
    expectError(refused, 403, "insufficient_scope", /roles:write/);
    // Taking a role away needs no more than the user holds: the plain user above has none.
    const plainUser = await api.createUser({ email: "plain.user@example.com" });
    expect((await change("POST", { roles: [plain] }, plainUser.userId)).status).toBe(204);
    expect((await change("DELETE", { roles: [plain] }, plainUser.userId, rolesOnly)).status).toBe(204);
  });
});
