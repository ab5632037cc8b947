// The served OpenAPI document describes exactly the routes mounted under /api/v1/users, and
// the profile sits beside the realm profile (/api/v1/{realmId}/…) without either shadowing the other.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentedRoutes, mountedRoutes } from "../../../test/support/openapi-routes.js";
import { testOrigin } from "../../../test/support/gateway.js";
import { insertUser } from "../../../test/support/directory-rows.js";
import { startSimpleApi, type SimpleApi } from "./test-kit.js";

let api: SimpleApi;

beforeAll(async () => {
  api = await startSimpleApi();
});
afterAll(() => api.close());

describe("GET /api/v1/users/openapi.json", () => {
  it("serves an OpenAPI 3.1 document without authentication", async () => {
    const response = await api.call("GET", "/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    expect(response.body).toMatchObject({ openapi: "3.1.0", servers: [{ url: `${testOrigin}/api/v1` }] });
  });

  it("documents exactly the mounted routes", async () => {
    const { body } = await api.call("GET", "/openapi.json", { token: null });
    const mounted = mountedRoutes(api.gateway.app, "/api/v1", ["GET /users/openapi.json"]).filter((route) => /^\w+ \/users(\/|$)/.test(route));
    expect(documentedRoutes(body)).toEqual(mounted);
    expect(mounted).toEqual(["DELETE /users/{user_id}", "GET /users", "GET /users/{user_id}", "POST /users", "PUT /users/{user_id}"]);
  });

  it("documents every status a route answers with, and the 429 headers", async () => {
    const { body } = await api.call("GET", "/openapi.json", { token: null });
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        if (method === "parameters") continue;
        const statuses = Object.keys(operation.responses);
        expect(statuses, `${method} ${path}`).toEqual(expect.arrayContaining(["400", "401", "403", "429"]));
        expect(Object.keys(operation.responses[429].headers)).toEqual(expect.arrayContaining(["retry-after", "x-ratelimit-limit"]));
      }
    }
    expect(Object.keys(body.paths["/users"].post.responses)).toContain("409");
    expect(Object.keys(body.paths["/users/{user_id}"].get.responses)).toContain("404");
  });

  it("does not take the place of a user: GET /users/{user_id} still reads users", async () => {
    const user = await insertUser(api.gateway);
    expect((await api.call("GET", `/${user.id}`)).status).toBe(200);
  });

  it("leaves the realm profile at /api/v1/{realmId} working", async () => {
    const response = await api.gateway.request(`/api/v1/${api.gateway.defaultRealmId}/roles`, {
      headers: { authorization: `Bearer ${api.adminToken}` },
    });
    expect(response.status).toBe(200);
    expect((await response.json()).data).toEqual(expect.any(Array));
  });
});
