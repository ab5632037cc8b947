import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { documentedRoutes, mountedRoutes } from "../../../test/support/openapi-routes.js";
import { realmPathPattern } from "./routes.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway();
});
afterAll(() => gateway.close());

describe("the realm profile's OpenAPI document", () => {
  it("is served without a token and lists exactly the mounted routes", async () => {
    const response = await gateway.request(`/api/v1/${gateway.defaultRealmId}/openapi.json`);
    expect(response.status).toBe(200);
    const document = await response.json();
    expect(document.openapi).toBe("3.1.0");
    expect(documentedRoutes(document)).toEqual(mountedRoutes(gateway.app, realmPathPattern));
    expect(documentedRoutes(document)).toHaveLength(36);
  });
});
