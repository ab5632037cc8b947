import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { tokenFor } from "../../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../../test/support/gateway.js";
import { newId } from "../../db/ids.js";

let gateway: TestGateway;
let token: string;
let userId: string;

beforeAll(async () => {
  gateway = await startTestGateway();
  token = await tokenFor(gateway);
  userId = newId("user");
  await gateway.database.prisma.user.create({
    data: {
      id: userId,
      realmId: gateway.defaultRealmId,
      email: "john.doe@example.com",
      name: "John Doe",
      givenName: "John",
      familyName: "Doe",
      appMetadata: { roles: ["editor", "user"] },
    },
  });
});
afterAll(() => gateway.close());

const get = (path: string, auth: string | null = token) =>
  gateway.request(path, { headers: auth ? { authorization: `Bearer ${auth}` } : {} });

describe("GET /api/v2/users/{id}", () => {
  it("returns the user in the seed's shape, by URL-encoded user_id", async () => {
    const response = await get(`/api/v2/users/${encodeURIComponent(`usergate|${userId}`)}`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      user_id: `usergate|${userId}`,
      email: "john.doe@example.com",
      name: "John Doe",
      given_name: "John",
      family_name: "Doe",
      created_at: expect.stringMatching(/Z$/),
      app_metadata: { roles: ["editor", "user"] },
      blocked: false,
    });
  });

  it("answers 404 inexistent_user for an unknown id or a wrong connection prefix", async () => {
    for (const id of ["usergate|usr_01jaaaaaaaaaaaaaaaaaaaaaaa", `google-oauth2|${userId}`]) {
      const response = await get(`/api/v2/users/${encodeURIComponent(id)}`);
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ statusCode: 404, error: "Not Found", message: expect.any(String), errorCode: "inexistent_user" });
    }
  });

  it("answers 401 without a token and 403 without users:read", async () => {
    const anonymous = await get(`/api/v2/users/${userId}`, null);
    expect(anonymous.status).toBe(401);
    expect((await anonymous.json()).statusCode).toBe(401);
    const limited = await tokenFor(gateway, undefined, { scope: "roles:read" });
    const forbidden = await get(`/api/v2/users/${userId}`, limited);
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toMatchObject({ statusCode: 403, error: "Forbidden", errorCode: "insufficient_scope" });
  });
});
