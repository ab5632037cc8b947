// GET /api/v2/roles, /roles/{id} and /roles/{id}/users: lists by page or checkpoint, totals,
// and the 400/401/403/404 answers.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, startV2Api, unknownId, type V2Api } from "./test-kit.js";

let api: V2Api;
let editor: string;
const members: Array<{ id: string; userId: string }> = [];

beforeAll(async () => {
  api = await startV2Api();
  editor = await api.createRole("editor", "Content Editor Role");
  await api.createRole("editor-in-chief");
  await api.createRole("viewer", "Standard User Role");
  for (let n = 0; n < 5; n++) {
    const user = await api.createUser({ email: `member${n}@example.com`, name: `Member ${n}`, connection: n === 0 ? "google-oauth2" : "usergate" });
    members.push(user);
    await api.graphql(`mutation($input: UserRolesInput!) { addUserRoles(input: $input) { __typename } }`, {
      input: { userId: user.id, roleIds: [editor] },
    });
  }
  await api.createUser({ email: "outsider@example.com" });
});
afterAll(() => api.close());

describe("GET /roles", () => {
  it("lists the realm's roles as a bare array of {id, name, description}", async () => {
    const response = await api.call("GET", "/roles");
    expect(response.status).toBe(200);
    expect(response.headers.get("x-ratelimit-limit")).toBe("100");
    expect(response.body).toEqual(expect.arrayContaining([{ id: editor, name: "editor", description: "Content Editor Role" }]));
    for (const role of response.body) expect(Object.keys(role).every((key) => ["id", "name", "description"].includes(key))).toBe(true);
  });

  it("pages with include_totals and filters by name", async () => {
    const all = await api.call("GET", "/roles?include_totals=true");
    const total = all.body.total;
    expect(all.body).toMatchObject({ start: 0, limit: 100, total, roles: expect.any(Array) });
    expect(all.body.roles).toHaveLength(total);
    const second = await api.call("GET", "/roles?per_page=2&page=1&include_totals=true");
    expect(second.body).toEqual({ start: 2, limit: 2, total, roles: all.body.roles.slice(2, 4) });
    const filtered = await api.call("GET", "/roles?name_filter=EDITOR");
    expect(filtered.body.map((role: any) => role.name).sort()).toEqual(["editor", "editor-in-chief"]);
  });

  it("answers 400 for bad parameters, 401 and 403 without roles:read", async () => {
    expectError(await api.call("GET", "/roles?per_page=0"), 400, "invalid_query_string", /per_page/);
    expectError(await api.call("GET", "/roles?name=x"), 400, "invalid_query_string", /name/);
    expectError(await api.call("GET", "/roles", { token: null }), 401, "invalid_token");
    expectError(await api.call("GET", "/roles", { token: await api.token("users:read") }), 403, "insufficient_scope");
  });
});

describe("GET /roles/{id}", () => {
  it("answers the role, 404 inexistent_role for an unknown one and 400 for a malformed id", async () => {
    const response = await api.call("GET", `/roles/${editor}`);
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ id: editor, name: "editor", description: "Content Editor Role" });
    expectError(await api.call("GET", `/roles/${unknownId("rol")}`), 404, "inexistent_role");
    expectError(await api.call("GET", `/roles/${members[0]!.id}`), 400, "invalid_uri");
    expectError(await api.call("GET", `/roles/${editor}`, { token: await api.token("users:read") }), 403, "insufficient_scope");
  });
});

describe("GET /roles/{id}/users", () => {
  it("lists the members by page as {user_id, email, name}, with include_totals", async () => {
    const response = await api.call("GET", `/roles/${editor}/users`);
    expect(response.status, response.text).toBe(200);
    expect(response.body).toHaveLength(5);
    expect(response.body).toContainEqual({ user_id: members[0]!.userId, email: "member0@example.com", name: "Member 0" });
    expect(response.body.map((member: any) => member.user_id).sort()).toEqual(members.map((member) => member.userId).sort());
    const page = await api.call("GET", `/roles/${editor}/users?per_page=2&page=2&include_totals=true`);
    expect(page.body).toEqual({ start: 4, limit: 2, total: 5, users: [expect.objectContaining({ user_id: expect.any(String) })] });
  });

  it("lists the members by checkpoint: {users, next} until next is absent", async () => {
    const seen: string[] = [];
    let from: string | undefined;
    for (let round = 0; round < 5; round++) {
      const response = await api.call("GET", `/roles/${editor}/users?take=2${from ? `&from=${encodeURIComponent(from)}` : ""}`);
      expect(response.status, response.text).toBe(200);
      seen.push(...response.body.users.map((member: any) => member.user_id));
      from = response.body.next;
      if (!from) break;
    }
    expect(from).toBeUndefined();
    expect(seen.sort()).toEqual(members.map((member) => member.userId).sort());
    expectError(await api.call("GET", `/roles/${editor}/users?from=garbage`), 400, "invalid_query_string");
  });

  it("answers 404 for an unknown role, 400 for bad parameters and 403 without users:read", async () => {
    expectError(await api.call("GET", `/roles/${unknownId("rol")}/users`), 404, "inexistent_role");
    expectError(await api.call("GET", `/roles/${editor}/users?take=0`), 400, "invalid_query_string", /take/);
    expectError(await api.call("GET", `/roles/${editor}/users`, { token: await api.token("roles:read") }), 403, "insufficient_scope");
  });
});
