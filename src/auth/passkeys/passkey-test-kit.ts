// What the passkey tests share: applications and users made through the API, a user access token
// from the password grant, and the two ceremonies driven end to end with a software authenticator.
import { expect } from "vitest";
import { graphqlOk, requestToken } from "../../../test/support/api-client.js";
import { testOrigin, type TestGateway } from "../../../test/support/gateway.js";
import { SoftwareAuthenticator, type CeremonyOverrides, type SoftwareCredential } from "../../../test/support/software-authenticator.js";

export type TestClient = { clientId: string; clientSecret: string | null };
export type Answer = { status: number; headers: Headers; body: any };

/** Where a realm's passkey endpoints live: the root for the default realm, /oauth2/{realm} otherwise. */
export const passkeyBase = (realmId?: string) => (realmId ? `/oauth2/${realmId}/auth/passkeys` : "/auth/passkeys");

export const newAuthenticator = (options?: ConstructorParameters<typeof SoftwareAuthenticator>[1]) =>
  new SoftwareAuthenticator(testOrigin, options);

export async function post(gateway: TestGateway, path: string, body: unknown, token?: string): Promise<Answer> {
  const response = await gateway.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  return { status: response.status, headers: response.headers, body: await response.json() };
}

export async function createClient(
  gateway: TestGateway,
  adminToken: string,
  input: { type: "web" | "spa" | "native"; grantTypes?: string[] },
): Promise<TestClient> {
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) {
      ... on ApplicationSecretPayload { application { clientId } clientSecret } } }`,
    { input: { name: `${input.type} ${Math.random().toString(36).slice(2, 8)}`, ...input } },
  );
  return { clientId: created.createApplication.application.clientId, clientSecret: created.createApplication.clientSecret ?? null };
}

export async function createUser(gateway: TestGateway, adminToken: string, input: { email: string; password: string }): Promise<string> {
  const created = await graphqlOk(
    gateway,
    adminToken,
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on UserPayload { user { id status } } ... on Error { message } } }`,
    { input: { ...input, name: "Passkey Tester" } },
  );
  expect(created.createUser.__typename, JSON.stringify(created.createUser)).toBe("UserPayload");
  return created.createUser.user.id;
}

/** A user access token (management API audience) from the password grant. */
export async function passwordSignIn(
  gateway: TestGateway,
  client: TestClient,
  user: { email: string; password: string },
  realmId?: string,
): Promise<string> {
  const response = await requestToken(
    gateway,
    {
      grant_type: "password",
      client_id: client.clientId,
      ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
      username: user.email,
      password: user.password,
    },
    { path: realmId ? `/oauth2/${realmId}/token` : "/oauth/token" },
  );
  const body = await response.json();
  expect(response.status, JSON.stringify(body)).toBe(200);
  return body.access_token;
}

/** Registration end to end: options, the authenticator's attestation, verification. */
export async function registerPasskey(
  gateway: TestGateway,
  token: string,
  authenticator: SoftwareAuthenticator,
  options: { name?: string; realmId?: string; overrides?: CeremonyOverrides } = {},
): Promise<Answer> {
  const started = await post(gateway, `${passkeyBase(options.realmId)}/register/options`, {}, token);
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  const response = authenticator.create(started.body.options, options.overrides);
  return post(gateway, `${passkeyBase(options.realmId)}/register/verify`, { ceremony: started.body.ceremony, response, name: options.name }, token);
}

/** Sign-in options for the client (optionally naming the user); fails the test unless 200. */
export async function signInOptions(
  gateway: TestGateway,
  client: TestClient,
  options: { username?: string; realmId?: string } = {},
): Promise<{ options: any; ceremony: string }> {
  const started = await post(gateway, `${passkeyBase(options.realmId)}/authenticate/options`, {
    client_id: client.clientId,
    ...(options.username ? { username: options.username } : {}),
  });
  expect(started.status, JSON.stringify(started.body)).toBe(200);
  return started.body;
}

export function verifySignIn(
  gateway: TestGateway,
  client: TestClient,
  ceremony: string,
  response: unknown,
  options: { realmId?: string; scope?: string } = {},
): Promise<Answer> {
  return post(gateway, `${passkeyBase(options.realmId)}/authenticate/verify`, {
    client_id: client.clientId,
    ...(client.clientSecret ? { client_secret: client.clientSecret } : {}),
    ceremony,
    response,
    ...(options.scope ? { scope: options.scope } : {}),
  });
}

/** Sign-in end to end: options, the authenticator's assertion, verification. */
export async function passkeySignIn(
  gateway: TestGateway,
  client: TestClient,
  authenticator: SoftwareAuthenticator,
  options: { username?: string; realmId?: string; scope?: string; overrides?: CeremonyOverrides & { credential?: SoftwareCredential } } = {},
): Promise<Answer> {
  const started = await signInOptions(gateway, client, options);
  return verifySignIn(gateway, client, started.ceremony, authenticator.get(started.options, options.overrides), options);
}

/** The newest login events of a user, newest first. */
export function loginEventsOf(gateway: TestGateway, where: { userId?: string | null; identifier?: string }) {
  return gateway.database.prisma.loginEvent.findMany({ where, orderBy: [{ createdAt: "desc" }, { id: "desc" }] });
}

let sequence = 0;
/** A fresh user's credentials for this test file. */
export const newUserCredentials = (stem = "passkey") => ({
  email: `${stem}.${++sequence}.${Date.now().toString(36)}@example.test`,
  password: `correct horse battery ${sequence}`,
});
