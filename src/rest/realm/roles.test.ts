import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { requestToken, tokenFor } from "../../../test/support/api-client.js";
import { expectError, expectUnchanged, iso, startRealmApi, unknownId, type RealmApi } from "./test-kit.js";

let api: RealmApi;
let scopeIds: string[];

beforeAll(async () => {
  api = await startRealmApi();
  const resource = await api.call(api.acme, "POST", "/resources", { body: { name: "Blog", indicator: "https://blog.acme.test" } });
  scopeIds = [];
  for (const name of ["read:posts", "write:posts"]) {
    const scope = await api.call(api.acme, "POST", `/resources/${resource.body.data.id}/scopes`, { body: { name } });
    scopeIds.push(scope.body.data.id);
  }
});
afterAll(() => api.close());

const create = (body: unknown, token?: string) => api.call(api.acme, "POST", "/roles", { body, token });

describe("roles (seed 003)", () => {
  it("creates a role as the seed's example does", async () => {
    const created = await create({ name: "editor", description: "Can edit content" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      data: { id: expect.stringMatching(/^rol_[0-9a-z]{26}$/), name: "editor", description: "Can edit content", created_at: iso, updated_at: iso },
    });
    const withScopes = await create({ name: "author", scope_ids: [scopeIds[0]] });
    expect(withScopes.status).toBe(201);
    const scopes = await api.call(api.acme, "GET", `/roles/${withScopes.body.data.id}/scopes`);
    expect(scopes.body.data.map((scope: any) => scope.name)).toEqual(["read:posts"]);
  });

  it("lists with page, per_page and search", async () => {
    for (const name of ["ops-a", "ops-b", "ops-c"]) await create({ name });
    const page = await api.call(api.acme, "GET", "/roles?page=1&per_page=2&search=OPS-");
    expect(page.status).toBe(200);
    expect(page.body).toEqual({
      data: [expect.objectContaining({ name: "ops-a" }), expect.objectContaining({ name: "ops-b" })],
      meta: { current_page: 1, per_page: 2, total: 3 },
    });
    const all = await api.call(api.acme, "GET", "/roles?search=");
    expect(all.body.meta.total).toBe(all.body.data.length);
    expect(all.body.data.length).toBeGreaterThanOrEqual(6); // with the realm's own admin role
  });

  it("gets, updates and deletes a role", async () => {
    const { body } = await create({ name: "temp", description: "x" });
    const id = body.data.id;
    expect((await api.call(api.acme, "GET", `/roles/${id}`)).body).toEqual(body);
    const updated = await api.call(api.acme, "PATCH", `/roles/${id}`, { body: { name: "temporary", description: null } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ id, name: "temporary", description: "" });
    expect((await api.call(api.acme, "DELETE", `/roles/${id}`)).status).toBe(204);
    expectError(await api.call(api.acme, "GET", `/roles/${id}`), 404, "not_found", "Role not found");
  });

  it("assigns scopes with scope_ids, lists and removes one", async () => {
    const { body } = await create({ name: "publisher" });
    const id = body.data.id;
    const assigned = await api.call(api.acme, "POST", `/roles/${id}/scopes`, { body: { scope_ids: scopeIds } });
    expect(assigned.status).toBe(200);
    expect(assigned.body.data).toEqual([
      { id: scopeIds[0], resource_id: expect.stringMatching(/^res_/), name: "read:posts", description: null, created_at: iso, updated_at: iso },
      expect.objectContaining({ id: scopeIds[1], name: "write:posts" }),
    ]);
    expect(assigned.headers.get("x-ratelimit-limit")).toBeNull(); // not a role-assignment budget
    expect((await api.call(api.acme, "DELETE", `/roles/${id}/scopes/${scopeIds[0]}`)).status).toBe(204);
    const left = await api.call(api.acme, "GET", `/roles/${id}/scopes`);
    expect(left.body).toEqual({ data: [expect.objectContaining({ id: scopeIds[1] })] });
  });

  it("answers 400 to malformed bodies, unknown fields and bad ids, changing nothing", async () => {
    const { body } = await create({ name: "target-400" });
    const id = body.data.id;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/roles", "{", /not valid JSON/],
      ["POST", "/roles", "\"editor\"", /JSON object/],
      ["POST", "/roles", { name: ["editor"] }, /^name must be a string/],
      ["POST", "/roles", { name: "x", permissions: [] }, /Unknown field: permissions/],
      ["POST", "/roles", { name: "x", scope_ids: ["read:posts"] }, /^scope_ids\.0 is not a scope id/],
      ["PATCH", `/roles/${id}`, { description: 5 }, /^description must be a string/],
      ["PATCH", "/roles/editor", { name: "x" }, /^id is not a role id/],
      ["GET", `/roles/${scopeIds[0]}`, undefined, /^id is not a role id/],
      ["POST", `/roles/${id}/scopes`, { scope_ids: [id] }, /^scope_ids\.0 is not a scope id/],
      ["POST", `/roles/${id}/scopes`, { scopes: scopeIds }, /Unknown field: scopes/],
      ["DELETE", `/roles/${id}/scopes/read:posts`, undefined, /^scopeId is not a scope id/],
      ["GET", "/roles?per_page=0", undefined, /^per_page/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 400, "invalid_request", message);
    }
  });

  it("answers 422 naming the field, changing nothing", async () => {
    const { body } = await create({ name: "target-422" });
    const id = body.data.id;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/roles", {}, /^name is required/],
      ["POST", "/roles", { name: "" }, /^name must not be empty/],
      ["POST", "/roles", { name: "editor" }, /^name: A role named "editor" already exists/],
      ["POST", "/roles", { name: "x", scope_ids: [unknownId("scp")] }, /^scope_ids contains scp_/],
      ["PATCH", `/roles/${id}`, { name: "editor" }, /^name: /],
      ["PATCH", `/roles/${id}`, { description: "d".repeat(2001) }, /^description must be at most 2000 characters/],
      ["POST", `/roles/${id}/scopes`, { scope_ids: [] }, /^scope_ids must hold at least 1 item/],
      ["POST", `/roles/${id}/scopes`, { scope_ids: [scopeIds[0], unknownId("scp")] }, /^scope_ids contains/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 422, "validation_error", message);
    }
  });

  it("answers 404 for roles and scopes that do not exist in the realm, changing nothing", async () => {
    const missing = unknownId("rol");
    const { body } = await create({ name: "target-404" });
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/roles/${missing}`, undefined, "Role not found"],
      ["PATCH", `/roles/${missing}`, { name: "x" }, "Role not found"],
      ["DELETE", `/roles/${missing}`, undefined, "Role not found"],
      ["GET", `/roles/${missing}/scopes`, undefined, "Role not found"],
      ["POST", `/roles/${missing}/scopes`, { scope_ids: scopeIds }, "Role not found"],
      ["DELETE", `/roles/${missing}/scopes/${scopeIds[0]}`, undefined, "Role not found"],
      ["DELETE", `/roles/${body.data.id}/scopes/${unknownId("scp")}`, undefined, "Scope not found"],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 404, "not_found", message);
    }
    const foreign = (await api.call(api.defaultRealm, "GET", "/roles")).body.data[0].id;
    expectError(await expectUnchanged(api, () => api.call(api.acme, "PATCH", `/roles/${foreign}`, { body: { name: "pwned" } })), 404, "not_found");
  });

  it("answers 401 and 403 by the table's scopes, changing nothing", async () => {
    expectError(await api.call(api.acme, "GET", "/roles", { token: "not-a-jwt" }), 401, "unauthorized");
    const reader = await api.acme.token("roles:read");
    const id = (await api.call(api.acme, "GET", "/roles", { token: reader })).body.data[0].id;
    for (const [method, path, body] of [
      ["POST", "/roles", { name: "nope" }],
      ["PATCH", `/roles/${id}`, { name: "nope" }],
      ["DELETE", `/roles/${id}`, undefined],
      ["POST", `/roles/${id}/scopes`, { scope_ids: scopeIds }],
      ["DELETE", `/roles/${id}/scopes/${scopeIds[0]}`, undefined],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token: reader })), 403, "insufficient_scope");
    }
    const writerOnly = await api.acme.token("roles:write");
    for (const path of ["/roles", `/roles/${id}`, `/roles/${id}/scopes`]) {
      expectError(await api.call(api.acme, "GET", path, { token: writerOnly }), 403, "insufficient_scope");
    }
  });

  it("answers 403 to a roles:write client raising its own role or a new one, or stripping a stronger one, changing nothing", async () => {
    const management = (await api.call(api.acme, "GET", "/resources?search=usergate")).body.data[0];
    const managementScopes = (await api.call(api.acme, "GET", `/resources/${management.id}/scopes`)).body.data;
    const scopeId = (name: string) => managementScopes.find((scope: any) => scope.name === name).id as string;
    const own = await create({ name: "role-writer", scope_ids: [scopeId("roles:read"), scopeId("roles:write")] });
    const app = await api.call(api.acme, "POST", "/applications", { body: { name: "Role writer", type: "m2m", role_ids: [own.body.data.id] } });
    const credentials = { clientId: app.body.data.client_id, clientSecret: app.body.data.client_secret };
    const token = await tokenFor(api.gateway, credentials, { realmId: api.acme.realmId });
    const everyScope = managementScopes.map((scope: any) => scope.id);
    const adminRole = (await api.call(api.acme, "GET", "/roles?search=usergate:management-admin")).body.data[0].id;

    for (const [method, path, body] of [
      ["POST", `/roles/${own.body.data.id}/scopes`, { scope_ids: everyScope }],
      ["POST", "/roles", { name: "escalator", scope_ids: everyScope }],
      ["DELETE", `/roles/${adminRole}/scopes/${scopeId("users:write")}`, undefined],
      ["DELETE", `/roles/${adminRole}`, undefined],
      ["PATCH", `/roles/${adminRole}`, { name: "former-admin" }],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token })), 403, "insufficient_scope");
    }
    const next = await requestToken(
      api.gateway,
      { grant_type: "client_credentials", client_id: credentials.clientId, client_secret: credentials.clientSecret },
      { path: `/oauth2/${api.acme.realmId}/token` },
    );
    expect((await next.json()).scope).toBe("roles:read roles:write");
  });
});
