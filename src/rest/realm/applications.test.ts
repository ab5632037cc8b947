import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allManagementScopes, expectError, expectUnchanged, iso, startRealmApi, unknownId, type RealmApi } from "./test-kit.js";

let api: RealmApi;
let roleId: string;

beforeAll(async () => {
  api = await startRealmApi();
  const role = await api.call(api.acme, "POST", "/roles", { body: { name: "reporter" } });
  roleId = role.body.data.id;
});
afterAll(() => api.close());

const create = (body: unknown, token?: string) => api.call(api.acme, "POST", "/applications", { body, token });

describe("applications (seed 003)", () => {
  it("creates an application in the seed's shape; only confidential clients get a secret, once", async () => {
    const spa = await create({ name: "My SPA", type: "spa", redirect_uris: ["https://myapp.com/callback"] });
    expect(spa.status).toBe(201);
    expect(spa.headers.get("content-type")).toMatch(/^application\/json/);
    expect(spa.body).toEqual({
      data: {
        id: expect.stringMatching(/^app_[0-9a-z]{26}$/),
        name: "My SPA",
        description: null,
        type: "spa",
        client_id: expect.any(String),
        redirect_uris: ["https://myapp.com/callback"],
        created_at: iso,
        updated_at: iso,
      },
    });
    const job = await create({ name: "Nightly job", type: "m2m", role_ids: [roleId] });
    expect(job.status).toBe(201);
    expect(job.body.data.client_secret).toEqual(expect.any(String));
    const read = await api.call(api.acme, "GET", `/applications/${job.body.data.id}`);
    expect(read.body.data).not.toHaveProperty("client_secret");
    const roles = await api.call(api.acme, "GET", `/applications/${job.body.data.id}/roles`);
    expect(roles.body.data.map((role: any) => role.id)).toEqual([roleId]);
  });

  it("lists with page (1-based), per_page and search, answering {data, meta}", async () => {
    for (const name of ["Report one", "Report two", "Report three"]) expect((await create({ name, type: "web" })).status).toBe(201);
    const page2 = await api.call(api.acme, "GET", "/applications?page=2&per_page=2&search=REPORT");
    expect(page2.status).toBe(200);
    expect(page2.body.meta).toEqual({ current_page: 2, per_page: 2, total: 3 });
    expect(page2.body.data.map((app: any) => app.name)).toEqual(["Report three"]);
    const all = await api.call(api.acme, "GET", "/applications");
    expect(all.body.meta).toEqual({ current_page: 1, per_page: 20, total: all.body.data.length });
    expect(all.body.data[0]).toMatchObject({ id: expect.stringMatching(/^app_/), name: expect.any(String), type: expect.any(String) });
    const beyond = await api.call(api.acme, "GET", "/applications?page=9&per_page=2&search=report");
    expect(beyond.body).toEqual({ data: [], meta: { current_page: 9, per_page: 2, total: 3 } });
  });

  it("gets, updates and deletes an application", async () => {
    const { body } = await create({ name: "Temp", type: "web", redirect_uris: ["https://a.test/cb"] });
    const id = body.data.id;
    const { client_secret: secret, ...shown } = body.data;
    expect(secret).toEqual(expect.any(String));
    expect((await api.call(api.acme, "GET", `/applications/${id}`)).body.data).toEqual(shown);
    const updated = await api.call(api.acme, "PATCH", `/applications/${id}`, {
      body: { name: "Renamed", description: "Reports", redirect_uris: ["https://b.test/cb"] },
    });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ id, name: "Renamed", description: "Reports", redirect_uris: ["https://b.test/cb"], type: "web" });
    const deleted = await api.call(api.acme, "DELETE", `/applications/${id}`);
    expect(deleted.status).toBe(204);
    expectError(await api.call(api.acme, "GET", `/applications/${id}`), 404, "not_found", "Application not found");
  });

  it("assigns roles with role_ids, lists and removes them", async () => {
    const { body } = await create({ name: "Role holder", type: "m2m" });
    const id = body.data.id;
    const assigned = await api.call(api.acme, "POST", `/applications/${id}/roles`, { body: { role_ids: [roleId] } });
    expect(assigned.status).toBe(200);
    expect(assigned.body).toEqual({ data: [expect.objectContaining({ id: roleId, name: "reporter", created_at: iso })] });
    expect(assigned.headers.get("x-ratelimit-limit")).toBe("100");
    expect((await api.call(api.acme, "GET", `/applications/${id}/roles`)).body.data).toHaveLength(1);
    const removed = await api.call(api.acme, "DELETE", `/applications/${id}/roles/${roleId}`);
    expect(removed.status).toBe(204);
    expect(removed.headers.get("x-ratelimit-remaining")).toEqual(expect.stringMatching(/^\d+$/));
    expect((await api.call(api.acme, "GET", `/applications/${id}/roles`)).body).toEqual({ data: [] });
  });

  it("answers 400 to malformed JSON, wrong types, unknown fields and bad ids, and changes nothing", async () => {
    const { body } = await create({ name: "Target", type: "web" });
    const id = body.data.id;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/applications", "{not json", /not valid JSON/],
      ["POST", "/applications", "[]", /JSON object/],
      ["POST", "/applications", "", /JSON body is required/],
      ["POST", "/applications", { name: 42, type: "spa" }, /^name must be a string/],
      ["POST", "/applications", { name: "x", type: "spa", redirect_uris: "https://a.test" }, /redirect_uris must be an array/],
      ["POST", "/applications", { name: "x", type: "spa", client_secret: "mine" }, /Unknown field: client_secret/],
      ["POST", "/applications", { name: "x", type: "m2m", role_ids: ["editor"] }, /role_ids\.0 is not a role id/],
      ["PATCH", `/applications/${id}`, { type: "spa" }, /Unknown field: type/],
      ["PATCH", `/applications/${id}`, { name: null }, /name must be a string/],
      ["PATCH", "/applications/not-an-id", { name: "x" }, /id is not an application id/],
      ["DELETE", `/applications/${roleId}`, undefined, /id is not an application id/],
      ["POST", `/applications/${id}/roles`, { role_ids: "rol_x" }, /role_ids must be an array/],
      ["POST", `/applications/${id}/roles`, { role_ids: [id] }, /role_ids\.0 is not a role id/],
      ["DELETE", `/applications/${id}/roles/nope`, undefined, /roleId is not a role id/],
      ["GET", "/applications?page=0", undefined, /page must be a whole number/],
      ["GET", "/applications?per_page=101", undefined, /per_page must be a whole number between 1 and 100/],
      ["GET", "/applications?page=x", undefined, /page/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      const response = await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody }));
      expectError(response, 400, "invalid_request", message);
    }
  });

  it("answers 422 naming the field for values the API refuses, and changes nothing", async () => {
    const { body } = await create({ name: "Target 422", type: "web" });
    const id = body.data.id;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/applications", { type: "spa" }, /^name is required/],
      ["POST", "/applications", { name: "   ", type: "spa" }, /^name must not be empty/],
      ["POST", "/applications", { name: "x", type: "desktop" }, /^type must be one of spa, native, web, m2m/],
      ["POST", "/applications", { name: "x", type: "spa", redirect_uris: ["not a url"] }, /^redirect_uris\.0\b/],
      ["POST", "/applications", { name: "x", type: "m2m", role_ids: [unknownId("rol")] }, /^role_ids contains rol_/],
      ["PATCH", `/applications/${id}`, { name: "x".repeat(201) }, /^name must be at most 200 characters/],
      ["POST", `/applications/${id}/roles`, { role_ids: [] }, /^role_ids must hold at least 1 item/],
      ["POST", `/applications/${id}/roles`, { role_ids: [unknownId("rol")] }, /^role_ids contains/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      const response = await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody }));
      expectError(response, 422, "validation_error", message);
    }
  });

  it("answers 404 for ids that do not exist in the realm, and changes nothing", async () => {
    const missing = unknownId("app");
    const { body } = await create({ name: "Has no such role", type: "m2m" });
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/applications/${missing}`, undefined, "Application not found"],
      ["PATCH", `/applications/${missing}`, { name: "x" }, "Application not found"],
      ["DELETE", `/applications/${missing}`, undefined, "Application not found"],
      ["GET", `/applications/${missing}/roles`, undefined, "Application not found"],
      ["POST", `/applications/${missing}/roles`, { role_ids: [roleId] }, "Application not found"],
      ["DELETE", `/applications/${missing}/roles/${roleId}`, undefined, "Application not found"],
      ["DELETE", `/applications/${body.data.id}/roles/${unknownId("rol")}`, undefined, "Role not found"],
    ];
    for (const [method, path, requestBody, message] of cases) {
      const response = await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody }));
      expectError(response, 404, "not_found", message);
    }
    // Another realm's application is not found either.
    const theirs = await api.call(api.defaultRealm, "GET", "/applications");
    const foreign = theirs.body.data[0].id;
    expectError(await api.call(api.acme, "GET", `/applications/${foreign}`), 404, "not_found");
    expectError(await expectUnchanged(api, () => api.call(api.acme, "DELETE", `/applications/${foreign}`)), 404, "not_found");
  });

  it("answers 403 to an applications:write token acting on the realm's administrator, and changes nothing", async () => {
    const adminApp = (await api.call(api.acme, "GET", "/applications?search=usergate%20admin")).body.data[0].id;
    const adminRole = (await api.call(api.acme, "GET", "/roles?search=management-admin")).body.data[0].id;
    const limited = await api.acme.token("applications:read applications:write");
    for (const [method, path, body] of [
      ["DELETE", `/applications/${adminApp}`, undefined],
      ["DELETE", `/applications/${adminApp}/roles/${adminRole}`, undefined],
      ["POST", `/applications/${adminApp}/roles`, { role_ids: [roleId] }],
      ["PATCH", `/applications/${adminApp}`, { redirect_uris: ["https://attacker.test/cb"] }],
      ["POST", "/applications", { name: "Second admin", type: "m2m", role_ids: [adminRole] }],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token: limited })), 403, "insufficient_scope");
    }
  });

  it("answers 403 to deleting or demoting the realm's last administrator, even by itself, and changes nothing", async () => {
    const adminApp = (await api.call(api.acme, "GET", "/applications?search=usergate%20admin")).body.data[0].id;
    const adminRole = (await api.call(api.acme, "GET", "/roles?search=management-admin")).body.data[0].id;
    const everyScope = await api.acme.token(`${allManagementScopes} users:tokens audit:read`);
    for (const [method, path] of [
      ["DELETE", `/applications/${adminApp}`],
      ["DELETE", `/applications/${adminApp}/roles/${adminRole}`],
    ] as const) {
      const refused = await expectUnchanged(api, () => api.call(api.acme, method, path, { token: everyScope }));
      expectError(refused, 403, "insufficient_scope", /without an administrator/);
    }
  });

  it("answers 401 without a valid token and 403 without the table's scope, changing nothing", async () => {
    expectError(await api.call(api.acme, "GET", "/applications", { token: null }), 401, "unauthorized");
    const readOnly = await api.acme.token("applications:read");
    const refused = await expectUnchanged(api, () => create({ name: "Nope", type: "spa" }, readOnly));
    expectError(refused, 403, "insufficient_scope");
    const id = (await api.call(api.acme, "GET", "/applications", { token: readOnly })).body.data[0].id;
    for (const [method, path, body] of [
      ["PATCH", `/applications/${id}`, { name: "x" }],
      ["DELETE", `/applications/${id}`, undefined],
      ["POST", `/applications/${id}/roles`, { role_ids: [roleId] }],
      ["DELETE", `/applications/${id}/roles/${roleId}`, undefined],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token: readOnly })), 403, "insufficient_scope");
    }
    const otherScope = await api.acme.token("roles:read");
    for (const path of ["/applications", `/applications/${id}`, `/applications/${id}/roles`]) {
      expectError(await api.call(api.acme, "GET", path, { token: otherScope }), 403, "insufficient_scope");
    }
  });
});
