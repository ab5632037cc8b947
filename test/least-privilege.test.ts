// Issue 13's eight measured escalations, each tried again over HTTP against the gateway as an
// operator runs it (`node src/main.ts`, a real port, a real database): no token grants, takes
// over or acts above its own scopes, credentials stop working when they are revoked, and realms
// do not trust each other's tokens. Each `it` tries every road of its item and reports every
// one left open.
import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from "jose";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase } from "../src/db/database.js";
import { graphql, graphqlOk, requestToken, tokenFor, type ClientCredentials, type HttpTarget } from "./support/api-client.js";
import { databaseUrl } from "./support/database-url.js";
import { adminClient } from "./support/gateway.js";
import { freePort, spawnGateway, type GatewayProcess } from "./support/gateway-process.js";
import { withDatabase } from "./support/postgres-admin.js";
import { allManagementScopes } from "./support/privilege-fixtures.js";

const postgresTemplate = inject("postgresTemplate");

/** The database of the process: a PostgreSQL database of its own when the suite runs on one, else a DATA_DIR. */
const store = { workDir: "", env: {} as Record<string, string>, databaseName: "" };
let server: GatewayProcess;
const http: HttpTarget = { request: (route, init) => fetch(new URL(route, server.baseUrl), init) };

async function startServer() {
  server = await spawnGateway(store.env);
  await server.listening;
}

/** Stops the process, lets `change` edit its database directly, and starts it again on the same port. */
async function whileStopped(change: (database: Awaited<ReturnType<typeof openDatabase>>) => Promise<void>) {
  expect(await server.stop(), server.stderr()).toBe(0);
  const database = store.env.DATABASE_URL
    ? await openDatabase({ kind: "postgres", url: store.env.DATABASE_URL })
    : await openDatabase({ kind: "pglite", dataDir: store.env.DATA_DIR! });
  try {
    await change(database);
  } finally {
    await database.close();
  }
  await startServer();
}

beforeAll(async () => {
  store.workDir = await mkdtemp(path.join(tmpdir(), "usergate-least-privilege-"));
  const base = {
    PORT: String(await freePort()),
    USERGATE_BOOTSTRAP_CLIENT_ID: adminClient.clientId,
    USERGATE_BOOTSTRAP_CLIENT_SECRET: adminClient.clientSecret,
  };
  if (postgresTemplate) {
    store.databaseName = `usergate_least_privilege_${randomBytes(6).toString("hex")}`;
    await withDatabase(postgresTemplate.url, (client) => client.query(`CREATE DATABASE "${store.databaseName}" TEMPLATE "${postgresTemplate.database}"`));
    store.env = { ...base, DATABASE_URL: databaseUrl(postgresTemplate.url, store.databaseName) };
  } else {
    store.env = { ...base, DATA_DIR: path.join(store.workDir, "data") };
  }
  await startServer();
  await setUpRealm();
}, 180_000);

afterAll(async () => {
  await server?.stop();
  if (store.databaseName) {
    await withDatabase(postgresTemplate!.url, (client) => client.query(`DROP DATABASE IF EXISTS "${store.databaseName}" WITH (FORCE)`));
  }
  await rm(store.workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The realm: an operator application holding the admin role (the test's own administrator, so
// that an attack that succeeds on the bootstrap admin does not take the test down with it), the
// management scopes by name, and a first-party application users sign in with.

const realm = { id: "", adminRoleId: "", managementApiId: "", scopeIds: new Map<string, string>(), operator: "", signInApp: { clientId: "", clientSecret: "" } };
let sequence = 0;
const unique = (stem: string) => `${stem}-${++sequence}-${Date.now().toString(36)}`;

async function setUpRealm() {
  const bootstrapToken = await tokenFor(http);
  const data = await graphqlOk(
    http,
    bootstrapToken,
    `{ realm { id } roles(first: 100) { edges { node { id name } } } resources(first: 20) { edges { node { id isManagement scopes { id name } } } } }`,
  );
  realm.id = data.realm.id;
  realm.adminRoleId = data.roles.edges.find((edge: any) => edge.node.name === "usergate:management-admin").node.id;
  const management = data.resources.edges.find((edge: any) => edge.node.isManagement).node;
  realm.managementApiId = management.id;
  for (const scope of management.scopes) realm.scopeIds.set(scope.name, scope.id);
  const operator = await createApplication(bootstrapToken, { name: "operator", type: "m2m", roleIds: [realm.adminRoleId] });
  realm.operator = await tokenFor(http, operator);
  const signIn = await createApplication(realm.operator, { name: "sign-in", type: "web" });
  realm.signInApp = { clientId: signIn.clientId, clientSecret: signIn.clientSecret };
}

async function createApplication(token: string, input: Record<string, unknown>) {
  const data = await graphqlOk(
    http,
    token,
    `mutation($input: CreateApplicationInput!) { createApplication(input: $input) {
       __typename ... on ApplicationSecretPayload { application { id clientId } clientSecret } ... on Error { message } } }`,
    { input },
  );
  expect(data.createApplication.__typename, JSON.stringify(data.createApplication)).toBe("ApplicationSecretPayload");
  return { id: data.createApplication.application.id as string, clientId: data.createApplication.application.clientId as string, clientSecret: data.createApplication.clientSecret as string };
}

type Actor = ClientCredentials & { applicationId: string; roleId: string; token: string; scopes: string[] };

/** An m2m application whose only role holds exactly these management scopes, made by the operator. */
async function actorHolding(scopes: string[]): Promise<Actor> {
  const role = await graphqlOk(
    http,
    realm.operator,
    `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`,
    { input: { name: unique(scopes.join("+")), scopeIds: scopes.map((scope) => realm.scopeIds.get(scope)!) } },
  );
  const app = await createApplication(realm.operator, { name: unique("actor"), type: "m2m", roleIds: [role.createRole.role.id] });
  return { ...app, applicationId: app.id, roleId: role.createRole.role.id, token: await tokenFor(http, app), scopes };
}

/** A user with a password, created by the operator; `roleIds` realm-wide. */
async function userWithPassword(roleIds: string[] = []) {
  const email = `${unique("user")}@example.test`;
  const password = `${unique("password")}-secret`;
  const data = await graphqlOk(
    http,
    realm.operator,
    `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename ... on UserPayload { user { id } } ... on Error { message } } }`,
    { input: { email, password, status: "active", roleIds } },
  );
  expect(data.createUser.__typename, JSON.stringify(data.createUser)).toBe("UserPayload");
  return { id: data.createUser.user.id as string, email, password };
}

function signIn(username: string, password: string, extra: Record<string, string> = {}) {
  return requestToken(http, {
    grant_type: "password",
    client_id: realm.signInApp.clientId,
    client_secret: realm.signInApp.clientSecret,
    username,
    password,
    scope: "openid offline_access",
    ...extra,
  });
}

function refresh(refreshToken: string) {
  return requestToken(http, {
    grant_type: "refresh_token",
    client_id: realm.signInApp.clientId,
    client_secret: realm.signInApp.clientSecret,
    refresh_token: refreshToken,
  });
}

/** The scopes a fresh client_credentials token of the client carries (null when it gets none). */
async function grantedScopes(client: ClientCredentials): Promise<string[] | null> {
  const response = await requestToken(http, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret });
  if (response.status !== 200) return null;
  return String((await response.json()).scope).split(" ");
}

const beyond = (held: string[], scopes: Iterable<string>) => [...new Set(scopes)].filter((scope) => allManagementScopes.includes(scope) && !held.includes(scope)).sort();

/** Polls `probe` until it is true, for up to `ms`; whether it became true. */
async function within(ms: number, probe: () => Promise<boolean>): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await probe()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

const roleScopes = async (roleId: string): Promise<string[]> =>
  (await graphqlOk(http, realm.operator, `query($id: ID!) { role(id: $id) { scopes { name } } }`, { id: roleId })).role?.scopes.map((scope: any) => scope.name) ?? [];

const userRow = async (id: string) =>
  (await graphqlOk(http, realm.operator, `query($id: ID!) { user(id: $id) { email username passwordTemporary roles { id } } }`, { id })).user;

// ---------------------------------------------------------------------------------------------

describe("least privilege, over HTTP against the gateway process", { timeout: 120_000 }, () => {
  it("1. roles:write cannot become every scope: not through assignScopesToRole, POST /roles/{id}/scopes or createRole(scopeIds)", async () => {
    const actor = await actorHolding(["roles:read", "roles:write"]);
    const everyScope = [...realm.scopeIds.values()];
    const violations: string[] = [];

    await graphql(http, actor.token, `mutation($input: RoleScopesInput!) { assignScopesToRole(input: $input) { __typename } }`, {
      input: { roleId: actor.roleId, scopeIds: everyScope },
    });
    const viaGraphQL = beyond(actor.scopes, await roleScopes(actor.roleId));
    if (viaGraphQL.length > 0) violations.push(`assignScopesToRole gave its own role ${viaGraphQL.join(" ")}`);

    const rest = await http.request(`/api/v1/${realm.id}/roles/${actor.roleId}/scopes`, {
      method: "POST",
      headers: { authorization: `Bearer ${actor.token}`, "content-type": "application/json" },
      body: JSON.stringify({ scope_ids: everyScope }),
    });
    if (rest.status !== 403) violations.push(`POST /api/v1/{realm}/roles/{id}/scopes answered ${rest.status}, not 403`);
    const viaRest = beyond(actor.scopes, await roleScopes(actor.roleId)).filter((scope) => !viaGraphQL.includes(scope));
    if (viaRest.length > 0) violations.push(`POST /roles/{id}/scopes gave its own role ${viaRest.join(" ")}`);

    const tokenScopes = beyond(actor.scopes, (await grantedScopes(actor)) ?? []);
    if (tokenScopes.length > 0) violations.push(`its next client_credentials token carries ${tokenScopes.join(" ")}`);

    const created = await graphql(
      http,
      actor.token,
      `mutation($input: CreateRoleInput!) { createRole(input: $input) { __typename ... on RolePayload { role { id } } } }`,
      { input: { name: unique("every-scope"), scopeIds: everyScope } },
    );
    const createdId = created.data?.createRole?.role?.id;
    if (createdId) violations.push(`createRole(scopeIds) made a role holding ${beyond(actor.scopes, await roleScopes(createdId)).join(" ")}`);

    expect(violations).toEqual([]);
  });

  it("2. applications:write cannot take over or lock out the bootstrap admin application", async () => {
    const actor = await actorHolding(["applications:read", "applications:write"]);
    const bootstrap = (await graphqlOk(http, realm.operator, `{ applications(first: 100) { edges { node { id clientId } } } }`)).applications.edges
      .map((edge: any) => edge.node)
      .find((app: any) => app.clientId === adminClient.clientId);
    const violations: string[] = [];

    const rotated = await graphql(
      http,
      actor.token,
      `mutation($input: ApplicationIdInput!) { rotateApplicationSecret(input: $input) { __typename ... on ApplicationSecretPayload { clientSecret } } }`,
      { input: { id: bootstrap.id } },
    );
    const secret = rotated.data?.rotateApplicationSecret?.clientSecret;
    if (secret) {
      const scopes = await grantedScopes({ clientId: adminClient.clientId, clientSecret: secret });
      violations.push(`rotateApplicationSecret handed it the admin's new secret, whose token carries ${beyond(actor.scopes, scopes ?? []).join(" ")}`);
    }
    if ((await grantedScopes(adminClient)) === null) violations.push("the bootstrap admin's own secret stopped working");

    const adminRoleKept = async () =>
      (await graphqlOk(http, realm.operator, `query($id: ID!) { application(id: $id) { roles { id } } }`, { id: bootstrap.id })).application?.roles.some(
        (role: any) => role.id === realm.adminRoleId,
      ) ?? false;
    await graphql(http, actor.token, `mutation($input: ApplicationRolesInput!) { removeRolesFromApplication(input: $input) { __typename } }`, {
      input: { applicationId: bootstrap.id, roleIds: [realm.adminRoleId] },
    });
    if (!(await adminRoleKept())) violations.push("removeRolesFromApplication took the admin role from it");
    await graphql(http, actor.token, `mutation($input: ApplicationIdInput!) { deleteApplication(input: $input) { __typename } }`, { input: { id: bootstrap.id } });
    if ((await graphqlOk(http, realm.operator, `query($id: ID!) { application(id: $id) { id } }`, { id: bootstrap.id })).application === null) {
      violations.push("deleteApplication deleted the bootstrap admin application");
    }

    expect(violations).toEqual([]);
  });

  it("3. users:write cannot take over an administrator: setUserPassword, setUserTemporaryPassword, updateUserEmail", async () => {
    const actor = await actorHolding(["users:read", "users:write"]);
    const attackerPassword = "attacker-chosen-password";
    const violations: string[] = [];

    const forPassword = await userWithPassword([realm.adminRoleId]);
    await graphql(http, actor.token, `mutation($input: SetUserPasswordInput!) { setUserPassword(input: $input) { __typename } }`, {
      input: { id: forPassword.id, password: attackerPassword },
    });
    if ((await signIn(forPassword.email, attackerPassword)).status === 200) violations.push("setUserPassword: it signs in as the administrator with its own password");

    const forTemporary = await userWithPassword([realm.adminRoleId]);
    await graphql(http, actor.token, `mutation($input: SetUserTemporaryPasswordInput!) { setUserTemporaryPassword(input: $input) { __typename } }`, {
      input: { id: forTemporary.id, password: attackerPassword },
    });
    if ((await signIn(forTemporary.email, attackerPassword)).status === 200) violations.push("setUserTemporaryPassword: it signs in as the administrator with its own password");

    const forEmail = await userWithPassword([realm.adminRoleId]);
    await graphql(http, actor.token, `mutation($input: UpdateUserEmailInput!) { updateUserEmail(input: $input) { __typename } }`, {
      input: { id: forEmail.id, email: "takeover@attacker.test", emailVerified: true },
    });
    if ((await userRow(forEmail.id)).email !== forEmail.email) violations.push("updateUserEmail: the administrator's email is now the attacker's");

    expect(violations).toEqual([]);
  });

  it("4. updateJwt adds only namespaced claims, never authorization or profile ones", async () => {
    const actor = await actorHolding(["users:read", "users:write"]);
    const user = await userWithPassword();
    const { access_token: userToken } = await (await signIn(user.email, user.password)).json();
    const updateJwt = async (customClaims: Record<string, unknown>) =>
      (await graphql(http, actor.token, `mutation($input: UpdateJwtInput!) { updateJwt(input: $input) { __typename ... on UpdateJwtPayload { jwt } } }`, {
        input: { jwt: userToken, customClaims },
      })).data?.updateJwt?.jwt as string | undefined;
    const violations: string[] = [];

    const forged: Array<Record<string, unknown>> = [
      { permissions: allManagementScopes },
      { email: "someone.else@example.test", email_verified: true },
      { groups: ["administrators"] },
      { org_id: "org_someone_else" },
    ];
    for (const claims of forged) {
      const jwt = await updateJwt(claims);
      if (jwt) violations.push(`it re-signed the token with ${JSON.stringify(claims)}: ${Object.keys(claims).filter((claim) => claim in decodeJwt(jwt)).join(", ")}`);
    }
    const namespaced = await updateJwt({ "https://example.test/claims/plan": "gold" });
    expect(namespaced && decodeJwt(namespaced)["https://example.test/claims/plan"], "a namespaced claim is what updateJwt is for").toBe("gold");

    expect(violations).toEqual([]);
  });

  it("5. resources:write cannot edit the management API: its token lifetime, its scopes", async () => {
    const actor = await actorHolding(["resources:read", "resources:write"]);
    const read = async (): Promise<Record<string, unknown>> =>
      (await graphqlOk(http, realm.operator, `query($id: ID!) { resource(id: $id) { name indicator tokenLifetime scopes { id name description } } }`, { id: realm.managementApiId })).resource;
    const violations: string[] = [];
    const attempts: Array<[string, string, Record<string, unknown>]> = [
      ["updateResource", "UpdateResourceInput", { id: realm.managementApiId, tokenLifetime: 86_400 }],
      ["createScope", "CreateScopeInput", { resourceId: realm.managementApiId, name: "everything:write" }],
      ["updateScope", "UpdateScopeInput", { id: realm.scopeIds.get("audit:read"), description: "changed by resources:write" }],
    ];
    for (const [mutation, inputType, input] of attempts) {
      const before = await read();
      await graphql(http, actor.token, `mutation($input: ${inputType}!) { ${mutation}(input: $input) { __typename } }`, { input });
      const after = await read();
      const changed = Object.keys(after).filter((key) => JSON.stringify(after[key]) !== JSON.stringify(before[key]));
      if (changed.length > 0) violations.push(`${mutation} changed the management API's ${changed.join(", ")}`);
    }
    expect(violations).toEqual([]);
  });

  it("6. scopes mean what they say: payloads, User.applications, node(rlm_…), role removal", async () => {
    const violations: string[] = [];
    const user = await userWithPassword();
    await graphqlOk(http, realm.operator, `mutation($input: UpdateUserInput!) { updateUser(input: $input) { __typename } }`, {
      input: { id: user.id, phone: "+14155550123", userMetadata: { secretPlan: "gold-plan-marker" } },
    });
    const app = await createApplication(realm.operator, { name: unique("assigned"), type: "web", redirectUris: ["https://assigned.example.test/callback"] });
    await graphqlOk(http, realm.operator, `mutation($input: UserApplicationsInput!) { addUserApplications(input: $input) { __typename } }`, {
      input: { userId: user.id, applicationIds: [app.id] },
    });
    const ordinaryRole = await graphqlOk(http, realm.operator, `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`, {
      input: { name: unique("ordinary") },
    });

    // a. users:roles alone reads no profile through a mutation payload.
    const rolesOnly = await actorHolding(["users:roles"]);
    const payload = await graphql(
      http,
      rolesOnly.token,
      `mutation($input: UserRolesInput!) { addUserRoles(input: $input) { ... on UserPayload { user { id email phone userMetadata lastLoginIp } } } }`,
      { input: { userId: user.id, roleIds: [ordinaryRole.createRole.role.id] } },
    );
    const leaked = [user.email, "+14155550123", "gold-plan-marker"].filter((value) => JSON.stringify(payload.data).includes(value));
    if (leaked.length > 0) violations.push(`users:roles read ${leaked.join(", ")} through addUserRoles' payload`);

    // b. users:read reads no application configuration through User.applications.
    const reader = await actorHolding(["users:read"]);
    const applications = await graphql(http, reader.token, `query($id: ID!) { user(id: $id) { applications { clientId redirectUris grantTypes } } }`, { id: user.id });
    if (JSON.stringify(applications.data).includes(app.clientId)) violations.push("users:read read an application's configuration through User.applications");

    // c. node(rlm_…) needs a realms scope, like the realms query.
    const node = await graphql(http, reader.token, `query($id: ID!) { node(id: $id) { id ... on Realm { name } } }`, { id: realm.id });
    if (node.data?.node) violations.push(`node(${realm.id}) answered ${JSON.stringify(node.data.node)} to a token without realms:read`);

    // d. users:roles cannot demote an administrator.
    const administrator = await userWithPassword([realm.adminRoleId]);
    await graphql(http, rolesOnly.token, `mutation($input: UserRolesInput!) { removeUserRoles(input: $input) { __typename } }`, {
      input: { userId: administrator.id, roleIds: [realm.adminRoleId] },
    });
    if (!(await userRow(administrator.id)).roles.some((role: any) => role.id === realm.adminRoleId)) violations.push("users:roles took the admin role from an administrator");

    expect(violations).toEqual([]);
  });

  it("7. revoked credentials stop working: sessions after an admin's password change or expiry, application tokens, passkey registration needs a recent sign-in", async () => {
    const violations: string[] = [];
    const works = async (token: string) => (await graphql(http, token, `{ realm { id } }`)).status === 200;

    // An administrator's setUserPassword / expireUserPassword ends the user's sessions and refresh tokens.
    for (const [mutation, inputType, extra] of [
      ["setUserPassword", "SetUserPasswordInput", { password: "a-new-password-set-by-the-admin" }],
      ["expireUserPassword", "ExpireUserPasswordInput", {}],
    ] as const) {
      const user = await userWithPassword();
      const tokens = await (await signIn(user.email, user.password)).json();
      await graphqlOk(http, realm.operator, `mutation($input: ${inputType}!) { ${mutation}(input: $input) { __typename } }`, { input: { id: user.id, ...extra } });
      if (!(await within(6_000, async () => !(await works(tokens.access_token))))) violations.push(`${mutation}: the user's access token still works after 6 s`);
      const refreshed = await refresh(tokens.refresh_token);
      if (refreshed.status === 200) violations.push(`${mutation}: the user's refresh token still works`);
    }

    // An application's tokens stop working within 5 s of its deletion, secret rotation or role change.
    const probe = async (token: string) => (await graphql(http, token, `{ users(first: 1) { edges { node { id } } } }`)).status === 401;
    const changes: Array<[string, (actor: Actor) => Promise<unknown>]> = [
      ["deleteApplication", (actor) => graphqlOk(http, realm.operator, `mutation($input: ApplicationIdInput!) { deleteApplication(input: $input) { __typename } }`, { input: { id: actor.applicationId } })],
      ["rotateApplicationSecret", (actor) => graphqlOk(http, realm.operator, `mutation($input: ApplicationIdInput!) { rotateApplicationSecret(input: $input) { __typename } }`, { input: { id: actor.applicationId } })],
      ["removeRolesFromApplication", (actor) =>
        graphqlOk(http, realm.operator, `mutation($input: ApplicationRolesInput!) { removeRolesFromApplication(input: $input) { __typename } }`, {
          input: { applicationId: actor.applicationId, roleIds: [actor.roleId] },
        })],
    ];
    for (const [mutation, change] of changes) {
      const actor = await actorHolding(["users:read"]);
      expect(await probe(actor.token)).toBe(false);
      await change(actor);
      if (!(await within(6_000, () => probe(actor.token)))) violations.push(`${mutation}: the application's token still works 6 s later`);
    }

    // The refresh grant refuses a user whose password expired.
    const expiring = await userWithPassword();
    const expiringTokens = await (await signIn(expiring.email, expiring.password)).json();
    // Passkey registration needs a sign-in within 5 minutes: a refreshed token keeps the sign-in's auth_time.
    const registering = await userWithPassword();
    const registeringTokens = await (await signIn(registering.email, registering.password)).json();
    const registerOptions = (token: string) =>
      http.request("/auth/passkeys/register/options", { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: "{}" });
    const fresh = await registerOptions(registeringTokens.access_token);
    expect(fresh.status, "a fresh sign-in may register a passkey").toBe(200);

    // Straight in the database while the gateway is down: the expiry without the API (which would
    // end the session anyway), and the sign-in moved 10 minutes into the past.
    await whileStopped(async (database) => {
      await database.prisma.user.update({ where: { id: expiring.id }, data: { passwordExpired: true } });
      await database.prisma.session.updateMany({ where: { userId: registering.id }, data: { createdAt: new Date(Date.now() - 10 * 60_000) } });
    });
    if ((await refresh(expiringTokens.refresh_token)).status === 200) violations.push("the refresh grant ignores passwordExpired");
    const refreshed = await (await refresh(registeringTokens.refresh_token)).json();
    const stale = await registerOptions(refreshed.access_token);
    if (stale.status === 200) violations.push("passkey registration options answered 200 to a token whose sign-in is 10 minutes old");

    expect(violations).toEqual([]);
  });

  it("8. realms have keys of their own: realm A's JWKS does not verify realm B's token for an A audience; the password grant stays in its realm", async () => {
    const violations: string[] = [];
    const indicator = `https://api.${unique("a")}.example.test`;
    await graphqlOk(http, realm.operator, `mutation($input: CreateResourceInput!) { createResource(input: $input) { __typename } }`, {
      input: { name: "realm A's API", indicator },
    });

    const created = await graphqlOk(
      http,
      realm.operator,
      `mutation($name: String!) { createRealm(input: { name: $name }) { ... on CreateRealmPayload { realm { id } adminClientId adminClientSecret } } }`,
      { name: unique("realm-b") },
    );
    const realmB = created.createRealm.realm.id as string;
    const adminB = { clientId: created.createRealm.adminClientId, clientSecret: created.createRealm.adminClientSecret };
    const tokenB = await tokenFor(http, adminB, { realmId: realmB });

    // Realm B's admin gives its own API the indicator of realm A's, and mints a token for it.
    const resource = await graphqlOk(http, tokenB, `mutation($input: CreateResourceInput!) { createResource(input: $input) { ... on ResourcePayload { resource { id } } } }`, {
      input: { name: "lookalike", indicator },
    });
    const scope = await graphqlOk(http, tokenB, `mutation($input: CreateScopeInput!) { createScope(input: $input) { ... on ScopePayload { scope { id } } } }`, {
      input: { resourceId: resource.createResource.resource.id, name: "read:data" },
    });
    const role = await graphqlOk(http, tokenB, `mutation($input: CreateRoleInput!) { createRole(input: $input) { ... on RolePayload { role { id } } } }`, {
      input: { name: "lookalike reader", scopeIds: [scope.createScope.scope.id] },
    });
    const client = await createApplication(tokenB, { name: "lookalike client", type: "m2m", roleIds: [role.createRole.role.id] });
    const minted = await requestToken(http, { grant_type: "client_credentials", client_id: client.clientId, client_secret: client.clientSecret, audience: indicator }, { path: `/oauth2/${realmB}/token` });
    expect(minted.status).toBe(200);
    const forged = (await minted.json()).access_token as string;
    expect(decodeJwt(forged).aud).toBe(indicator);

    const jwksOf = async (route: string) => createLocalJWKSet((await (await http.request(route)).json()) as JSONWebKeySet);
    const verifies = (jwks: ReturnType<typeof createLocalJWKSet>) => jwtVerify(forged, jwks).then(() => true, () => false);
    if (await verifies(await jwksOf("/.well-known/jwks.json"))) violations.push(`realm A's JWKS verifies realm B's token for ${indicator}`);
    if (await verifies(await jwksOf(`/oauth2/${realm.id}/.well-known/jwks.json`))) violations.push(`/oauth2/{A}/.well-known/jwks.json verifies realm B's token`);
    expect(await verifies(await jwksOf(`/oauth2/${realmB}/.well-known/jwks.json`)), "realm B's own JWKS verifies its token").toBe(true);

    // The password grant at realm A's endpoint does not sign in to realm B.
    const userB = { email: `${unique("b-user")}@example.test`, password: "realm-b-user-password" };
    await graphqlOk(http, tokenB, `mutation($input: CreateUserInput!) { createUser(input: $input) { __typename } }`, { input: { ...userB, status: "active" } });
    const appB = await createApplication(tokenB, { name: "realm B sign-in", type: "web" });
    const crossing = await requestToken(http, {
      grant_type: "password",
      client_id: appB.clientId,
      client_secret: appB.clientSecret,
      username: userB.email,
      password: userB.password,
      realm: realmB,
    });
    if (crossing.status === 200) violations.push("POST /oauth/token (realm A) with realm=<B> signed a realm-B user in");

    expect(violations).toEqual([]);
  });
});
