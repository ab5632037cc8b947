import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectError, expectUnchanged, iso, startRealmApi, unknownId, type RealmApi } from "./test-kit.js";

let api: RealmApi;

beforeAll(async () => {
  api = await startRealmApi();
});
afterAll(() => api.close());

const create = (body: unknown, token?: string) => api.call(api.acme, "POST", "/resources", { body, token });
let counter = 0;
const newResource = async () => (await create({ name: `API ${++counter}`, indicator: `https://api${counter}.acme.test` })).body.data.id as string;

describe("resources and their scopes (seed 003)", () => {
  it("creates an API resource as the seed shows", async () => {
    const created = await create({ name: "My API", indicator: "https://api.myapp.com" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      data: {
        id: expect.stringMatching(/^res_[0-9a-z]{26}$/),
        name: "My API",
        indicator: "https://api.myapp.com",
        token_lifetime: 3600,
        created_at: iso,
        updated_at: iso,
      },
    });
  });

  it("lists with page, per_page and search (name or indicator)", async () => {
    await create({ name: "Billing", indicator: "https://billing.acme.test" });
    await create({ name: "Ledger", indicator: "https://ledger.billing.acme.test" });
    const found = await api.call(api.acme, "GET", "/resources?search=billing&per_page=1&page=2");
    expect(found.status).toBe(200);
    expect(found.body).toEqual({ data: [expect.objectContaining({ name: "Ledger" })], meta: { current_page: 2, per_page: 1, total: 2 } });
    const all = await api.call(api.acme, "GET", "/resources");
    expect(all.body.data.map((resource: any) => resource.name)).toContain("My API");
  });

  it("gets, updates and deletes a resource", async () => {
    const id = await newResource();
    expect((await api.call(api.acme, "GET", `/resources/${id}`)).body.data).toMatchObject({ id, indicator: expect.stringMatching(/^https:/) });
    const updated = await api.call(api.acme, "PATCH", `/resources/${id}`, { body: { name: "Renamed", token_lifetime: 600 } });
    expect(updated.status).toBe(200);
    expect(updated.body.data).toMatchObject({ id, name: "Renamed", token_lifetime: 600 });
    expect((await api.call(api.acme, "DELETE", `/resources/${id}`)).status).toBe(204);
    expectError(await api.call(api.acme, "GET", `/resources/${id}`), 404, "not_found", "Resource not found");
  });

  it("adds, lists, updates (PATCH) and removes scopes", async () => {
    const id = await newResource();
    const added = await api.call(api.acme, "POST", `/resources/${id}/scopes`, { body: { name: "read:posts", description: "Read blog posts" } });
    expect(added.status).toBe(201);
    expect(added.body).toEqual({
      data: {
        id: expect.stringMatching(/^scp_[0-9a-z]{26}$/),
        resource_id: id,
        name: "read:posts",
        description: "Read blog posts",
        created_at: iso,
        updated_at: iso,
      },
    });
    const scopeId = added.body.data.id;
    const patched = await api.call(api.acme, "PATCH", `/resources/${id}/scopes/${scopeId}`, { body: { description: "Read all blog posts" } });
    expect(patched.status).toBe(200);
    expect(patched.body.data).toMatchObject({ id: scopeId, name: "read:posts", description: "Read all blog posts" });
    const listed = await api.call(api.acme, "GET", `/resources/${id}/scopes`);
    expect(listed.body).toEqual({ data: [patched.body.data] });
    expect((await api.call(api.acme, "DELETE", `/resources/${id}/scopes/${scopeId}`)).status).toBe(204);
    expect((await api.call(api.acme, "GET", `/resources/${id}/scopes`)).body).toEqual({ data: [] });
  });

  it("answers 404 for a scope addressed under another resource, changing nothing", async () => {
    const owner = await newResource();
    const other = await newResource();
    const scopeId = (await api.call(api.acme, "POST", `/resources/${owner}/scopes`, { body: { name: "x:y" } })).body.data.id;
    for (const [method, body] of [["PATCH", { name: "z:z" }], ["DELETE", undefined]] as const) {
      const response = await expectUnchanged(api, () => api.call(api.acme, method, `/resources/${other}/scopes/${scopeId}`, { body }));
      expectError(response, 404, "not_found", "Scope not found");
    }
  });

  it("answers 400 to malformed bodies, unknown fields and bad ids, changing nothing", async () => {
    const id = await newResource();
    const scopeId = (await api.call(api.acme, "POST", `/resources/${id}/scopes`, { body: { name: "a:b" } })).body.data.id;
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/resources", "{\"name\":", /not valid JSON/],
      ["POST", "/resources", { name: "x", indicator: 7 }, /^indicator must be a string/],
      ["POST", "/resources", { name: "x", indicator: "https://x.test", scopes: [] }, /Unknown field: scopes/],
      ["POST", "/resources", { name: "x", indicator: "https://x.test", token_lifetime: "600" }, /^token_lifetime must be a number/],
      ["PATCH", `/resources/${id}`, { indicator: "https://moved.test" }, /Unknown field: indicator/],
      ["PATCH", `/resources/${scopeId}`, { name: "x" }, /^id is not a resource id/],
      ["POST", `/resources/${id}/scopes`, { name: "x", resource_id: id }, /Unknown field: resource_id/],
      ["PATCH", `/resources/${id}/scopes/${scopeId}`, { description: false }, /^description must be a string/],
      ["PATCH", `/resources/${id}/scopes/${id}`, { description: "x" }, /^scopeId is not a scope id/],
      ["DELETE", `/resources/nope/scopes/${scopeId}`, undefined, /^id is not a resource id/],
      ["GET", "/resources?page=-1", undefined, /^page/],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 400, "invalid_request", message);
    }
  });

  it("answers 422 naming the field, changing nothing", async () => {
    const id = await newResource();
    const scopeId = (await api.call(api.acme, "POST", `/resources/${id}/scopes`, { body: { name: "c:d" } })).body.data.id;
    await api.call(api.acme, "POST", `/resources/${id}/scopes`, { body: { name: "e:f" } });
    const cases: Array<[string, string, unknown, RegExp]> = [
      ["POST", "/resources", { name: "x" }, /^indicator is required/],
      ["POST", "/resources", { name: "x", indicator: "not a uri" }, /^indicator must be an absolute URI/],
      ["POST", "/resources", { name: "dup", indicator: "https://api.myapp.com" }, /^indicator: /],
      ["POST", "/resources", { name: "x", indicator: "https://x.test", token_lifetime: 5 }, /^token_lifetime must be at least 60/],
      ["POST", "/resources", { name: "x", indicator: "https://x.test", token_lifetime: 90.5 }, /^token_lifetime must be a whole number/],
      ["PATCH", `/resources/${id}`, { name: "" }, /^name must not be empty/],
      ["POST", `/resources/${id}/scopes`, { description: "no name" }, /^name is required/],
      ["POST", `/resources/${id}/scopes`, { name: "has space" }, /^name must not contain whitespace/],
      ["POST", `/resources/${id}/scopes`, { name: "c:d" }, /^name: /],
      ["PATCH", `/resources/${id}/scopes/${scopeId}`, { name: "e:f" }, /^name: /],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 422, "validation_error", message);
    }
  });

  it("answers 403 to any change of the management API or its scopes, the realm administrator's included, changing nothing", async () => {
    const managementId = (await api.call(api.acme, "GET", "/resources?search=usergate")).body.data[0].id;
    const scopeId = (await api.call(api.acme, "GET", `/resources/${managementId}/scopes`)).body.data[0].id;
    for (const token of [await api.acme.token("resources:read resources:write"), await api.acme.token()]) {
      for (const [method, path, body] of [
        ["PATCH", `/resources/${managementId}`, { token_lifetime: 86_400 }],
        ["DELETE", `/resources/${managementId}`, undefined],
        ["POST", `/resources/${managementId}/scopes`, { name: "everything" }],
        ["PATCH", `/resources/${managementId}/scopes/${scopeId}`, { name: "renamed" }],
        ["DELETE", `/resources/${managementId}/scopes/${scopeId}`, undefined],
      ] as const) {
        expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token })), 403, "insufficient_scope", /management API/);
      }
    }
  });

  it("answers 404 for ids that do not exist in the realm, changing nothing", async () => {
    const missing = unknownId("res");
    const id = await newResource();
    const cases: Array<[string, string, unknown, string]> = [
      ["GET", `/resources/${missing}`, undefined, "Resource not found"],
      ["PATCH", `/resources/${missing}`, { name: "x" }, "Resource not found"],
      ["DELETE", `/resources/${missing}`, undefined, "Resource not found"],
      ["GET", `/resources/${missing}/scopes`, undefined, "Resource not found"],
      ["POST", `/resources/${missing}/scopes`, { name: "x:y" }, "Resource not found"],
      ["PATCH", `/resources/${id}/scopes/${unknownId("scp")}`, { name: "x:y" }, "Scope not found"],
      ["DELETE", `/resources/${id}/scopes/${unknownId("scp")}`, undefined, "Scope not found"],
    ];
    for (const [method, path, requestBody, message] of cases) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body: requestBody })), 404, "not_found", message);
    }
  });

  it("answers 401 and 403 by the table's scopes, changing nothing", async () => {
    expectError(await api.call(api.acme, "POST", "/resources", { token: null, body: { name: "x", indicator: "https://x.test" } }), 401, "unauthorized");
    const reader = await api.acme.token("resources:read");
    const id = await newResource();
    const scopeId = (await api.call(api.acme, "POST", `/resources/${id}/scopes`, { body: { name: "g:h" } })).body.data.id;
    for (const [method, path, body] of [
      ["POST", "/resources", { name: "x", indicator: "https://x.test" }],
      ["PATCH", `/resources/${id}`, { name: "x" }],
      ["DELETE", `/resources/${id}`, undefined],
      ["POST", `/resources/${id}/scopes`, { name: "i:j" }],
      ["PATCH", `/resources/${id}/scopes/${scopeId}`, { description: "x" }],
      ["DELETE", `/resources/${id}/scopes/${scopeId}`, undefined],
    ] as const) {
      expectError(await expectUnchanged(api, () => api.call(api.acme, method, path, { body, token: reader })), 403, "insufficient_scope");
    }
    const other = await api.acme.token("roles:read roles:write");
    for (const path of ["/resources", `/resources/${id}`, `/resources/${id}/scopes`]) {
      expectError(await api.call(api.acme, "GET", path, { token: other }), 403, "insufficient_scope");
    }
  });
});
