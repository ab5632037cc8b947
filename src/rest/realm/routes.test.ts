// The profile as a whole: who may reach /api/v1/{realm}, on the default realm and another one.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { maxRestBodyBytes } from "../mount.js";
import { expectError, expectUnchanged, startRealmApi, unknownId, type RealmApi } from "./test-kit.js";

let api: RealmApi;

beforeAll(async () => {
  api = await startRealmApi();
});
afterAll(() => api.close());

describe("realm profile (seed 003)", () => {
  it("serves the default realm and a created realm, each with its own admin client", async () => {
    for (const realm of [api.defaultRealm, api.acme]) {
      const created = await api.call(realm, "POST", "/roles", { body: { name: "auditor" } });
      expect(created.status).toBe(201);
      const listed = await api.call(realm, "GET", "/roles?search=auditor");
      expect(listed.body).toEqual({ data: [created.body.data], meta: { current_page: 1, per_page: 20, total: 1 } });
    }
    const defaultIds = (await api.call(api.defaultRealm, "GET", "/roles")).body.data.map((role: any) => role.id);
    const acmeIds = (await api.call(api.acme, "GET", "/roles")).body.data.map((role: any) => role.id);
    expect(defaultIds.filter((id: string) => acmeIds.includes(id))).toEqual([]);
  });

  it("answers a token of another realm 404, as for a realm that does not exist, whatever its scopes", async () => {
    const acmeToken = await api.acme.token();
    const narrow = await api.acme.token("roles:read");
    const nowhere = { ...api.acme, realmId: unknownId("rlm") };
    const answers = [];
    for (const [realm, token] of [[api.defaultRealm, acmeToken], [api.defaultRealm, narrow], [nowhere, acmeToken]] as const) {
      for (const [method, path, body] of [
        ["GET", "/users", undefined],
        ["GET", "/roles", undefined],
        ["POST", "/roles", { name: "intruder" }],
        ["DELETE", `/applications/${unknownId("app")}`, undefined],
        ["PATCH", `/resources/${unknownId("res")}/scopes/${unknownId("scp")}`, { name: "x" }],
      ] as const) {
        const response = await expectUnchanged(api, () => api.call(realm, method, path, { body, token }));
        expectError(response, 404, "not_found", "Realm not found");
        answers.push(response.body);
      }
    }
    expect(new Set(answers.map((body) => JSON.stringify(body))).size).toBe(1);
  });

  it("answers 401 with a Bearer challenge without a token or with a bad one", async () => {
    for (const token of [null, "garbage", `${api.acme.realmId}:not-a-key`]) {
      const response = await api.call(api.acme, "GET", "/applications", { token });
      expectError(response, 401, "unauthorized");
      expect(response.headers.get("www-authenticate")).toMatch(/^Bearer /);
    }
    // 401 comes before the realm check: an anonymous caller learns nothing about realms either.
    expectError(await api.call({ ...api.acme, realmId: unknownId("rlm") }, "GET", "/roles", { token: null }), 401, "unauthorized");
  });

  it("answers unknown routes and methods under a realm 404 in the profile's error shape", async () => {
    expectError(await api.call(api.acme, "GET", "/widgets"), 404, "not_found");
    expectError(await api.call(api.acme, "PUT", `/roles/${unknownId("rol")}`, { body: { name: "x" } }), 404, "not_found");
  });

  it("refuses an oversized body with 413 and changes nothing", async () => {
    const huge = JSON.stringify({ name: "x".repeat(maxRestBodyBytes + 1) });
    const response = await expectUnchanged(api, () => api.call(api.acme, "POST", "/roles", { body: huge }));
    expectError(response, 413, "payload_too_large");
  });

  it("leaves /api/v1/users (the simple profile) and other /api/v1 paths to other routes", async () => {
    const token = await api.defaultRealm.token();
    for (const path of ["/api/v1/users", `/api/v1/${api.acme.realmId.toUpperCase()}/users`, "/api/v1/rlm_/users"]) {
      const response = await api.gateway.request(path, { headers: { authorization: `Bearer ${token}` } });
      const body = await response.json().catch(() => null);
      expect(body?.message, path).not.toBe("Realm not found");
    }
  });
});
