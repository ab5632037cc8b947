import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countRows, everyRowAsText } from "../../test/support/table-rows.js";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import {
  managementAdminRoleName,
  managementIndicator,
  managementScopes,
  realmAdminScopes,
} from "./management-api.js";
import { verifySecret } from "./secrets.js";
import { newId } from "../db/ids.js";
import { bootstrap, defaultRealmName, type BootstrapResult } from "./bootstrap.js";
import { provisionRealm } from "./realm-provisioning.js";

const managementScopeNames = [
  "users:read",
  "users:write",
  "users:roles",
  "users:tokens",
  "applications:read",
  "applications:write",
  "roles:read",
  "roles:write",
  "resources:read",
  "resources:write",
  "audit:read",
];
/** The default realm is the admin realm: its management API also manages realms. */
const adminRealmScopeNames = [...managementScopeNames, "realms:read", "realms:write"];

const fixedClient = {
  clientId: "ops-admin-client",
  clientSecret: "fixed-bootstrap-secret-0123456789-abcdefgh",
};

/** The applications with their roles' scopes, as a token for one would carry them. */
async function applicationsWithScopes(database: TestDatabase) {
  return database.prisma.application.findMany({
    include: { roles: { include: { role: { include: { scopes: { include: { scope: true } } } } } } },
  });
}

const sorted = (names: readonly string[]) => [...names].sort();

describe("the first run on a new database, without fixed credentials", () => {
  let database: TestDatabase;
  let first: BootstrapResult;
  beforeAll(async () => {
    database = await openTestDatabase();
    first = await bootstrap(database.prisma, null);
  });
  afterAll(() => database?.close());

  it("creates the default realm as the admin realm", async () => {
    const realms = await database.prisma.realm.findMany();
    expect(realms).toEqual([expect.objectContaining({ id: first.realmId, name: defaultRealmName, isAdmin: true })]);
    expect(first.realmId).toMatch(/^rlm_/);
  });

  it("creates the management resource with the 11 management scopes, plus realms:read and realms:write", async () => {
    expect(sorted(managementScopes.map((scope) => scope.name))).toEqual(sorted(managementScopeNames));
    expect(sorted(realmAdminScopes.map((scope) => scope.name))).toEqual(["realms:read", "realms:write"]);
    const resources = await database.prisma.resource.findMany({ include: { scopes: true } });
    expect(resources).toHaveLength(1);
    expect(resources[0]).toMatchObject({ realmId: first.realmId, indicator: managementIndicator, isManagement: true });
    expect(sorted(resources[0]!.scopes.map((scope) => scope.name))).toEqual(sorted(adminRealmScopeNames));
  });

  it("creates a role holding every one of those scopes", async () => {
    const role = await database.prisma.role.findUniqueOrThrow({
      where: { realmId_name: { realmId: first.realmId, name: managementAdminRoleName } },
      include: { scopes: { include: { scope: true } } },
    });
    expect(sorted(role.scopes.map(({ scope }) => scope.name))).toEqual(sorted(adminRealmScopeNames));
  });

  it("creates an m2m application holding that role, with generated credentials it returns", async () => {
    expect(first.generatedCredentials).toEqual({ clientId: expect.any(String), clientSecret: expect.any(String) });
    const { clientId, clientSecret } = first.generatedCredentials!;
    expect(clientSecret.length).toBeGreaterThanOrEqual(32);

    const apps = await applicationsWithScopes(database);
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(app).toMatchObject({ realmId: first.realmId, type: "m2m", clientId, grantTypes: ["client_credentials"] });
    expect(app.id).toMatch(/^app_/);
    expect(app.roles.map(({ role }) => role.name)).toEqual([managementAdminRoleName]);
    const scopes = app.roles.flatMap(({ role }) => role.scopes.map(({ scope }) => scope.name));
    expect(sorted(scopes)).toEqual(sorted(adminRealmScopeNames));

    expect(verifySecret(clientSecret, app.clientSecretHash!)).toBe(true);
    expect(verifySecret(`${clientSecret}x`, app.clientSecretHash!)).toBe(false);
  });

  it("fills exactly these rows", async () => {
    expect(await countRows(database.prisma)).toMatchObject({
      Realm: 1,
      Resource: 1,
      Scope: adminRealmScopeNames.length,
      Role: 1,
      RoleScope: adminRealmScopeNames.length,
      Application: 1,
      ApplicationRole: 1,
      User: 0,
      AuditEvent: 0,
    });
  });

  it("never stores the generated secret in clear, in any column of any table", async () => {
    const rows = await everyRowAsText(database.prisma);
    expect(rows.some((row) => row.includes(first.generatedCredentials!.clientId))).toBe(true);
    expect(rows.filter((row) => row.includes(first.generatedCredentials!.clientSecret))).toEqual([]);
  });

  it("then a second run returns no credentials and creates no row in any table", async () => {
    const before = await countRows(database.prisma);
    const appsBefore = await database.prisma.application.findMany();

    const second = await bootstrap(database.prisma, null);

    expect(second).toEqual({ realmId: first.realmId, generatedCredentials: null });
    expect(await countRows(database.prisma)).toEqual(before);
    expect(await database.prisma.application.findMany()).toEqual(appsBefore);
    expect(verifySecret(first.generatedCredentials!.clientSecret, appsBefore[0]!.clientSecretHash!)).toBe(true);
  });
});

describe("with fixed credentials (USERGATE_BOOTSTRAP_CLIENT_ID / _SECRET)", () => {
  let database: TestDatabase;
  let first: BootstrapResult;
  beforeAll(async () => {
    database = await openTestDatabase();
    first = await bootstrap(database.prisma, fixedClient);
  });
  afterAll(() => database?.close());

  it("returns no credentials to show", () => {
    expect(first.generatedCredentials).toBeNull();
  });

  it("creates the admin app with that client id and a hash that verifies the given secret", async () => {
    const apps = await applicationsWithScopes(database);
    expect(apps).toHaveLength(1);
    const app = apps[0]!;
    expect(app).toMatchObject({ clientId: fixedClient.clientId, type: "m2m", realmId: first.realmId });
    expect(app.roles.map(({ role }) => role.name)).toEqual([managementAdminRoleName]);
    expect(verifySecret(fixedClient.clientSecret, app.clientSecretHash!)).toBe(true);
    expect(verifySecret("another-secret-0123456789-abcdefghijkl", app.clientSecretHash!)).toBe(false);
  });

  it("never stores the given secret in clear", async () => {
    const rows = await everyRowAsText(database.prisma);
    expect(rows.filter((row) => row.includes(fixedClient.clientSecret))).toEqual([]);
  });

  it("creates no row on a second run", async () => {
    const before = await countRows(database.prisma);
    expect((await bootstrap(database.prisma, fixedClient)).generatedCredentials).toBeNull();
    expect(await countRows(database.prisma)).toEqual(before);
  });

  it("gives realms made by an older version the management scopes added since, through their admin role", async () => {
    const realm = await database.prisma.realm.create({ data: { id: newId("realm"), name: "made-by-an-older-version" } });
    await database.prisma.$transaction((tx) => provisionRealm(tx, realm.id, false));
    await database.prisma.scope.deleteMany({ where: { realmId: realm.id, name: { in: ["users:tokens", "audit:read"] } } });

    await bootstrap(database.prisma, fixedClient);
    const role = await database.prisma.role.findUniqueOrThrow({
      where: { realmId_name: { realmId: realm.id, name: managementAdminRoleName } },
      include: { scopes: { include: { scope: true } } },
    });
    expect(sorted(role.scopes.map((grant) => grant.scope.name))).toEqual(sorted(managementScopeNames));
    // Only what was missing: a second run adds nothing.
    const before = await countRows(database.prisma);
    await bootstrap(database.prisma, fixedClient);
    expect(await countRows(database.prisma)).toEqual(before);
  });

  it("takes a changed secret at the next run: the old one stops verifying and its tokens end", async () => {
    const generation = async () =>
      (await database.prisma.application.findUniqueOrThrow({ where: { clientId: fixedClient.clientId } })).tokenGeneration;
    const before = await generation();
    const rotated = { ...fixedClient, clientSecret: "rotated-bootstrap-secret-0123456789-abcd" };
    await bootstrap(database.prisma, rotated);
    const app = await database.prisma.application.findUniqueOrThrow({ where: { clientId: fixedClient.clientId } });
    expect(verifySecret(rotated.clientSecret, app.clientSecretHash!)).toBe(true);
    expect(verifySecret(fixedClient.clientSecret, app.clientSecretHash!)).toBe(false);
    expect(app.tokenGeneration).toBe(before + 1);
    await bootstrap(database.prisma, rotated);
    expect(await generation()).toBe(before + 1);
  });
});
