// Auth0's password-realm grant carries a `realm` parameter. A token endpoint signs in to its own
// realm only: the parameter may confirm that realm, never pick another one.
import { decodeJwt } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { graphqlOk, requestToken, tokenFor } from "../../test/support/api-client.js";
import { startTestGateway, type TestGateway } from "../../test/support/gateway.js";
import { newId } from "../db/ids.js";
import { hashPassword } from "../services/passwords.js";

const passwordRealm = "http://auth0.com/oauth/grant-type/password-realm";
const password = "correct horse battery staple";

let gateway: TestGateway;
/** Realm "beta": a web application and a user with a password, both of that realm. */
let beta: { id: string; app: { clientId: string; clientSecret: string }; userId: string };

beforeAll(async () => {
  gateway = await startTestGateway();
  const created = await graphqlOk(
    gateway,
    await tokenFor(gateway),
    `mutation { createRealm(input: { name: "beta" }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
  );
  const id = created.createRealm.realm.id;
  const betaAdmin = await tokenFor(gateway, { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret }, { realmId: id });
  const app = await graphqlOk(
    gateway,
    betaAdmin,
    `mutation { createApplication(input: { name: "beta web", type: web }) { ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
  );
  const user = await gateway.database.prisma.user.create({
    data: { id: newId("user"), realmId: id, email: "ann@beta.test", status: "active", passwordHash: await hashPassword(password) },
  });
  beta = { id, app: { clientId: app.createApplication.application.clientId, clientSecret: app.createApplication.clientSecret }, userId: user.id };
});
afterAll(() => gateway.close());

/** Beta's application and user, correctly authenticated, at the given token endpoint. */
function signIn(path: string, realm: string) {
  return requestToken(
    gateway,
    { grant_type: passwordRealm, realm, client_id: beta.app.clientId, client_secret: beta.app.clientSecret, username: "ann@beta.test", password },
    { path },
  );
}

const signInsOfBeta = () => gateway.database.prisma.loginEvent.count({ where: { realmId: beta.id } });

describe("the password grant's realm parameter", () => {
  it("refuses, at another realm's endpoint, a realm naming beta (by name or id) and records no sign-in in beta", async () => {
    for (const realm of ["beta", beta.id]) {
      const response = await signIn("/oauth/token", realm);
      expect(response.status).toBe(400);
      expect(await response.json()).toEqual({ error: "invalid_request", error_description: `realm ${realm} is not the realm of this token endpoint` });
    }
    expect(await signInsOfBeta()).toBe(0);
    expect(await gateway.database.prisma.session.count({ where: { userId: beta.userId } })).toBe(0);
  });

  it("refuses, at beta's endpoint, a realm naming another realm, as it refuses an unknown one", async () => {
    for (const realm of ["default", gateway.defaultRealmId, "nonexistent"]) {
      const response = await signIn(`/oauth2/${beta.id}/token`, realm);
      expect(response.status).toBe(400);
      expect((await response.json()).error).toBe("invalid_request");
    }
    expect(await signInsOfBeta()).toBe(0);
  });

  it("signs in when it names the endpoint's own realm, by name or id", async () => {
    for (const realm of ["beta", beta.id]) {
      const response = await signIn(`/oauth2/${beta.id}/token`, realm);
      const body = await response.json();
      expect(response.status, JSON.stringify(body)).toBe(200);
      expect(decodeJwt(body.access_token)).toMatchObject({ realm: beta.id, sub: beta.userId });
    }
    expect(await signInsOfBeta()).toBe(2);
  });
});
