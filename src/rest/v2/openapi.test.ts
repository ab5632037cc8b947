// The served OpenAPI document of profile v2 matches the routes really mounted, needs no token,
// and is a well-formed OpenAPI 3.1 document whose references all resolve.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { documentedRoutes, mountedRoutes } from "../../../test/support/openapi-routes.js";
import { startV2Api, type V2Api } from "./test-kit.js";

let api: V2Api;

beforeAll(async () => {
  api = await startV2Api();
});
afterAll(() => api.close());

describe("GET /api/v2/openapi.json", () => {
  it("is served without a token", async () => {
    const response = await api.call("GET", "/openapi.json", { token: null });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    expect(response.body.openapi).toBe("3.1.0");
    expect(response.body.servers).toEqual([{ url: "http://usergate.test/api/v2" }]);
  });

  it("documents exactly the mounted routes", async () => {
    const { body } = await api.call("GET", "/openapi.json", { token: null });
    expect(documentedRoutes(body)).toEqual(mountedRoutes(api.gateway.app, "/api/v2"));
    expect(documentedRoutes(body)).toHaveLength(13);
  });

  it("resolves every $ref and documents the errors and rate-limit headers of each operation", async () => {
    const { body } = await api.call("GET", "/openapi.json", { token: null });
    const refs = [...JSON.stringify(body).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map((match) => match[1]!);
    for (const name of refs) expect(body.components.schemas, name).toHaveProperty(name);
    for (const [path, item] of Object.entries<any>(body.paths)) {
      for (const [method, operation] of Object.entries<any>(item)) {
        expect(operation.responses, `${method} ${path}`).toHaveProperty("401");
        expect(operation.responses, `${method} ${path}`).toHaveProperty("403");
        if (operation["x-rate-limit-bucket"]) expect(operation.responses["429"].headers).toHaveProperty("retry-after");
      }
    }
  });
});
