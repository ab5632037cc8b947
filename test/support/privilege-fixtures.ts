// The realm's most privileged principals and ordinary ones beside them, the limited actors that
// attack them, and what the privilege tests read back from the database: which management
// scopes every principal holds, and the state of the privileged principals.
import { expect } from "vitest";
import { newId } from "../../src/db/ids.js";
import type { PrismaClient } from "../../src/generated/prisma/client.js";
import { createManagementKey } from "../../src/services/management-keys.js";
import { bootstrap } from "../../src/services/bootstrap.js";
import { hashPassword } from "../../src/services/passwords.js";
import { generateSecret, hashSecret } from "../../src/services/secrets.js";
import { managementAdminRoleName, managementScopes, realmAdminScopes } from "../../src/services/management-api.js";
import { graphqlOk, requestToken, tokenFor } from "./api-client.js";
import { adminClient, type TestGateway } from "./gateway.js";
import type { Arsenal, Target } from "./mutation-inputs.js";

/** Every management scope of the admin (default) realm: what a realm administrator holds. */
export const allManagementScopes: string[] = [...managementScopes, ...realmAdminScopes].map((scope) => scope.name);

/** The scopes a management key may carry: every management scope but the admin realm's realms ones. */
export const keyScopes: string[] = managementScopes.map((scope) => scope.name);

/**
 * Scopes that change principals or reveal their credentials. users:tokens counts: it reads
 * users' provider tokens, credentials of another system, which the target ceiling guards.
 */
export const writeScopes = ["users:write", "users:roles", "users:tokens", "applications:write", "roles:write", "resources:write", "realms:write"];

/** Each management scope alone, then every pair of them that includes a write scope. */
export function actorScopeSets(): string[][] {
  const pairs: string[][] = [];
  allManagementScopes.forEach((first, index) =>
    allManagementScopes.slice(index + 1).forEach((second) => {
      if (writeScopes.includes(first) || writeScopes.includes(second)) pairs.push([first, second]);
    }),
  );
  return [...allManagementScopes.map((scope) => [scope]), ...pairs];
}

const mutations = {
  createRole: `mutation($input: CreateRoleInput!) { createRole(input: $input) { __typename ... on RolePayload { role { id } } ... on Error { message } } }`,
  createApplication: `mutation($input: CreateApplicationInput!) { createApplication(input: $input) { __typename ... on ApplicationSecretPayload { application { id clientId } clientSecret } ... on Error { message } } }`,
};

/** Runs a mutation as the administrator and returns its payload; fails the test on any error. */
async function create(gateway: TestGateway, adminToken: string, name: keyof typeof mutations, input: Record<string, unknown>): Promise<any> {
  const data = await graphqlOk(gateway, adminToken, mutations[name], { input });
  expect(data[name].__typename, `${name}: ${JSON.stringify(data[name])}`).not.toMatch(/Error$/);
  return data[name];
}

export type Actor = { scopes: string[]; applicationId: string; clientId: string; clientSecret: string; roleId: string; token: string };

/** An m2m application whose only role holds exactly these scopes, made by the administrator, and its token. */
export async function createActor(gateway: TestGateway, adminToken: string, scopes: string[], label: string): Promise<Actor> {
  const scopeIds = (await managementScopeRows(gateway.database.prisma, gateway.defaultRealmId))
    .filter((scope) => scopes.includes(scope.name))
    .map((scope) => scope.id);
  expect(scopeIds).toHaveLength(scopes.length);
  const role = await create(gateway, adminToken, "createRole", { name: `actor ${label}`, scopeIds });
  const app = await create(gateway, adminToken, "createApplication", { name: `actor ${label}`, type: "m2m", roleIds: [role.role.id] });
  const credentials = { clientId: app.application.clientId, clientSecret: app.clientSecret };
  return { scopes, applicationId: app.application.id, roleId: role.role.id, ...credentials, token: await tokenFor(gateway, credentials) };
}

export type SignedInUser = { id: string; email: string; password: string; accessToken: string; sessionId: string; identityId: string };

/** The realm's principals an attack aims at, made fresh (unique names) for each actor. */
export type Fixtures = {
  realmId: string;
  adminApplicationId: string;
  adminRoleId: string;
  managementApiId: string;
  managementScopes: Array<{ id: string; name: string }>;
  /** Holds the admin role; its password is known to the test only. */
  administrator: SignedInUser;
  /** A management key with every scope a key may hold. */
  adminKeyId: string;
  ordinaryUser: SignedInUser;
  /** A first-party web application (the one users sign in with). */
  ordinaryApp: { id: string; clientId: string; clientSecret: string };
  ordinaryRoleId: string;
  ordinaryResourceId: string;
  ordinaryScopeId: string;
  ordinaryTenantId: string;
  ordinaryKeyId: string;
};

/** The one password of every fixture user, hashed once: hashing is the slow part of making users. */
export const fixturePassword = "fixture-user-password";
let fixturePasswordHash: Promise<string> | undefined;

/**
 * The targets, written straight into the database (they are what is attacked, not what is
 * tested); the users then sign in through the token endpoint, for real sessions and tokens.
 */
export async function createFixtures(gateway: TestGateway, label: string): Promise<Fixtures> {
  const prisma = gateway.database.prisma;
  const realmId = gateway.defaultRealmId;
  const passwordHash = await (fixturePasswordHash ??= hashPassword(fixturePassword));
  const scopes = await managementScopeRows(prisma, realmId);
  const adminRole = await prisma.role.findUniqueOrThrow({ where: { realmId_name: { realmId, name: managementAdminRoleName } } });
  const adminApp = await prisma.application.findUniqueOrThrow({ where: { clientId: adminClient.clientId } });

  const ordinaryApp = { id: newId("application"), clientId: `sign-in-${label}`, clientSecret: generateSecret() };
  await prisma.application.create({
    data: {
      id: ordinaryApp.id,
      realmId,
      name: `sign-in ${label}`,
      type: "web",
      clientId: ordinaryApp.clientId,
      clientSecretHash: hashSecret(ordinaryApp.clientSecret),
      grantTypes: ["password", "refresh_token"],
    },
  });
  const signedInUser = async (stem: string, roleIds: string[]): Promise<SignedInUser> => {
    const email = `${stem}.${label}@example.test`.toLowerCase();
    const user = await prisma.user.create({
      data: {
        id: newId("user"),
        realmId,
        email,
        status: "active",
        passwordHash,
        roles: { create: roleIds.map((roleId) => ({ id: newId("userRole"), roleId })) },
        identities: {
          create: { id: newId("identity"), realmId, provider: "github", providerUserId: `${stem}-${label}`, connection: "github", providerAccessToken: `gho_${stem}` },
        },
        passkeys: { create: { id: newId("passkey"), realmId, credentialId: `${stem}-${label}`, publicKey: Buffer.from("public key") } },
      },
      include: { identities: true },
    });
    const response = await requestToken(gateway, {
      grant_type: "password",
      client_id: ordinaryApp.clientId,
      client_secret: ordinaryApp.clientSecret,
      username: email,
      password: fixturePassword,
    });
    const body = await response.json();
    expect(response.status, JSON.stringify(body)).toBe(200);
    const session = await prisma.session.findFirstOrThrow({ where: { userId: user.id } });
    return { id: user.id, email, password: fixturePassword, accessToken: body.access_token, sessionId: session.id, identityId: user.identities[0]!.id };
  };
  const key = async (name: string, keyScopes: string[]) =>
    (
      await createManagementKey(
        prisma,
        { type: "application", id: null, realmId, requestId: null, scopes: new Set(keyScopes) },
        { name: `${name} ${label}`, scopes: keyScopes, expiresAt: null },
      )
    ).managementKey.id;

  const resourceId = newId("resource");
  const scopeId = newId("scope");
  await prisma.resource.create({
    data: {
      id: resourceId,
      realmId,
      name: `api ${label}`,
      indicator: `https://api.example.test/${label}`,
      scopes: { create: { id: scopeId, realmId, name: "read:things" } },
    },
  });
  const [administrator, ordinaryUser] = await Promise.all([signedInUser("administrator", [adminRole.id]), signedInUser("ordinary", [])]);
  return {
    realmId,
    adminApplicationId: adminApp.id,
    adminRoleId: adminRole.id,
    managementApiId: scopes[0]!.resourceId,
    managementScopes: scopes,
    administrator,
    adminKeyId: await key("admin key", keyScopes),
    ordinaryUser,
    ordinaryApp,
    ordinaryRoleId: (await prisma.role.create({ data: { id: newId("role"), realmId, name: `ordinary ${label}`, scopes: { create: { scopeId } } } })).id,
    ordinaryResourceId: resourceId,
    ordinaryScopeId: scopeId,
    ordinaryTenantId: (await prisma.tenant.create({ data: { id: newId("tenant"), realmId, name: `tenant ${label}` } })).id,
    ordinaryKeyId: await key("reader key", ["users:read"]),
  };
}

async function managementScopeRows(prisma: PrismaClient, realmId: string) {
  return prisma.scope.findMany({
    where: { realmId, resource: { isManagement: true } },
    select: { id: true, name: true, resourceId: true },
    orderBy: { name: "asc" },
  });
}

/** The targets of the generated calls: the privileged principals, ordinary ones, and the actor's own. */
export function targetsOf(fixtures: Fixtures, actor: Actor | null): Target[] {
  const user = (who: SignedInUser, kind: Target["kind"], label: string): Target => ({
    entity: "User",
    id: who.id,
    label,
    kind,
    accessToken: who.accessToken,
    identityId: who.identityId,
  });
  const realmsWrite = fixtures.managementScopes.find((scope) => scope.name === "realms:write")!;
  return [
    user(fixtures.administrator, "privileged", "the administrator user"),
    user(fixtures.ordinaryUser, "ordinary", "an ordinary user"),
    { entity: "Application", id: fixtures.adminApplicationId, label: "the bootstrap admin application", kind: "privileged" },
    { entity: "Application", id: fixtures.ordinaryApp.id, label: "an ordinary application", kind: "ordinary" },
    { entity: "Role", id: fixtures.adminRoleId, label: "the admin role", kind: "privileged" },
    { entity: "Role", id: fixtures.ordinaryRoleId, label: "an ordinary role", kind: "ordinary" },
    { entity: "Resource", id: fixtures.managementApiId, label: "the management API", kind: "privileged" },
    { entity: "Resource", id: fixtures.ordinaryResourceId, label: "an ordinary API", kind: "ordinary" },
    { entity: "Scope", id: realmsWrite.id, label: "the management scope realms:write", kind: "privileged" },
    { entity: "Scope", id: fixtures.ordinaryScopeId, label: "an ordinary scope", kind: "ordinary" },
    { entity: "ManagementKey", id: fixtures.adminKeyId, label: "the all-scope management key", kind: "privileged" },
    { entity: "ManagementKey", id: fixtures.ordinaryKeyId, label: "a users:read management key", kind: "ordinary" },
    { entity: "Session", id: fixtures.administrator.sessionId, label: "the administrator's session", kind: "privileged" },
    { entity: "Session", id: fixtures.ordinaryUser.sessionId, label: "an ordinary user's session", kind: "ordinary" },
    { entity: "Tenant", id: fixtures.ordinaryTenantId, label: "a tenant", kind: "ordinary" },
    { entity: "Realm", id: fixtures.realmId, label: "the realm", kind: "ordinary" },
    ...(actor
      ? [
          { entity: "Application", id: actor.applicationId, label: "its own application", kind: "self" } as const,
          { entity: "Role", id: actor.roleId, label: "its own role", kind: "self" } as const,
        ]
      : []),
  ];
}

/** What an actor puts into every call: the admin role, every management scope, values it owns. */
export function arsenalOf(fixtures: Fixtures, actor: Actor | null, label: string, forgedClaims: Array<Record<string, unknown>>): Arsenal {
  let sequence = 0;
  const tag = label.toLowerCase().replace(/[^a-z0-9]+/g, "-");
  return {
    targets: targetsOf(fixtures, actor),
    roleIds: [fixtures.adminRoleId],
    scopeIds: fixtures.managementScopes.map((scope) => scope.id),
    scopeNames: keyScopes,
    applicationIds: [fixtures.adminApplicationId],
    tenantId: fixtures.ordinaryTenantId,
    password: `${tag}-chosen-password`,
    fresh(kind) {
      sequence += 1;
      switch (kind) {
        case "email":
          return `a${sequence}@${actorDomain(label)}`;
        case "username":
          return `${actorLoginPrefix(label)}${sequence}`;
        case "indicator":
          return `https://api.${tag}.example.test/${sequence}`;
        default:
          return `${tag}-${sequence}`;
      }
    },
    forgedClaims,
  };
}

/** Addresses and login ids the actor owns: a user carrying one is a user it can sign in as. */
export const actorDomain = (label: string) => `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.attacker.test`;
export const actorLoginPrefix = (label: string) => `${label.toLowerCase().replace(/[^a-z0-9]+/g, "-")}-login-`;

/** What the realm looked like after start-up, to put back between actors. */
export type Baseline = Awaited<ReturnType<typeof readBaseline>>;

export async function readBaseline(gateway: TestGateway) {
  const prisma = gateway.database.prisma;
  const realmId = gateway.defaultRealmId;
  const realm = await prisma.realm.findUniqueOrThrow({ where: { id: realmId } });
  const managementApi = await prisma.resource.findFirstOrThrow({ where: { realmId, isManagement: true }, include: { scopes: true } });
  return {
    realm: { name: realm.name, displayName: realm.displayName },
    managementApi: { name: managementApi.name, indicator: managementApi.indicator, tokenLifetime: managementApi.tokenLifetime },
    scopeDescriptions: new Map(managementApi.scopes.map((scope) => [scope.name, scope.description])),
    applicationIds: (await prisma.application.findMany({ where: { realmId }, select: { id: true } })).map((row) => row.id),
    roleIds: (await prisma.role.findMany({ where: { realmId }, select: { id: true } })).map((row) => row.id),
  };
}

/**
 * Puts the realm back as start-up left it, straight in the database (test scaffolding, not the
 * API): what an attack renamed, deleted or rotated comes back, everything made since goes.
 */
export async function restoreRealm(gateway: TestGateway, baseline: Baseline): Promise<void> {
  const prisma = gateway.database.prisma;
  const realmId = gateway.defaultRealmId;
  await prisma.realm.deleteMany({ where: { id: { not: realmId } } });
  await prisma.realm.update({ where: { id: realmId }, data: baseline.realm });
  await prisma.user.deleteMany({ where: { realmId } });
  await prisma.tenant.deleteMany({ where: { realmId } });
  await prisma.managementKey.deleteMany({ where: { realmId } });
  await prisma.application.deleteMany({ where: { realmId, id: { notIn: baseline.applicationIds } } });
  await prisma.role.deleteMany({ where: { realmId, id: { notIn: baseline.roleIds } } });
  await prisma.role.updateMany({ where: { realmId, id: { in: baseline.roleIds } }, data: { name: managementAdminRoleName } });
  await prisma.resource.deleteMany({ where: { realmId, isManagement: false } });
  await prisma.resource.updateMany({ where: { realmId, isManagement: true }, data: baseline.managementApi });
  const scopes = await prisma.scope.findMany({ where: { realmId, resource: { isManagement: true } } });
  for (const scope of scopes) {
    if (!baseline.scopeDescriptions.has(scope.name)) await prisma.scope.delete({ where: { id: scope.id } });
    else if (scope.description !== baseline.scopeDescriptions.get(scope.name)) {
      await prisma.scope.update({ where: { id: scope.id }, data: { description: baseline.scopeDescriptions.get(scope.name) ?? null } });
    }
  }
  await bootstrap(prisma, adminClient);
  await prisma.application.update({
    where: { clientId: adminClient.clientId },
    data: { type: "m2m", grantTypes: ["client_credentials"], redirectUris: [] },
  });
}

/** Management scopes by principal ("user:usr_…", "application:app_…", "role:rol_…", "managementKey:mgk_…"). */
export type ScopeMap = Map<string, Set<string>>;

export type RealmState = {
  scopes: ScopeMap;
  users: Map<string, { email: string | null; username: string | null; passwordHash: string | null }>;
  applicationIds: Set<string>;
  keyIds: Set<string>;
  /** Some principal can still use every management scope: an m2m client_credentials app, an active user, a lasting key. */
  hasAdministrator: boolean;
  /**
   * What the target ceiling protects on each privileged principal, field → JSON: its credentials,
   * identifiers and privileges (and all of the management API: it is read-only).
   */
  privileged: Map<string, Record<string, string>>;
};

/** The realm's principals, the management scopes each holds and the privileged ones' state, in one statement. */
export async function readRealmState(prisma: PrismaClient, fixtures: Fixtures): Promise<RealmState> {
  const realmId = fixtures.realmId;
  const [row] = await prisma.$queryRaw<Array<Record<"grants" | "users" | "applications" | "keys" | "privileged", unknown> & { administrator: boolean }>>`
    WITH management AS (
      SELECT s.id, s.name FROM "Scope" s JOIN "Resource" r ON r.id = s."resourceId" WHERE r."realmId" = ${realmId} AND r."isManagement"
    ), grants AS (
      SELECT 'role:' || rs."roleId" AS principal, m.name AS scope FROM "RoleScope" rs JOIN management m ON m.id = rs."scopeId"
      UNION SELECT 'user:' || ur."userId", m.name FROM "UserRole" ur
        JOIN "RoleScope" rs ON rs."roleId" = ur."roleId" JOIN management m ON m.id = rs."scopeId"
      UNION SELECT 'application:' || ar."applicationId", m.name FROM "ApplicationRole" ar
        JOIN "RoleScope" rs ON rs."roleId" = ar."roleId" JOIN management m ON m.id = rs."scopeId"
      UNION SELECT 'managementKey:' || k.id, unnest(k.scopes) FROM "ManagementKey" k WHERE k."realmId" = ${realmId} AND k."revokedAt" IS NULL
    ), every_scope AS (SELECT ${allManagementScopes}::text[] AS names)
    SELECT
      (SELECT coalesce(json_agg(json_build_array(principal, scope)), '[]') FROM grants) AS grants,
      (SELECT coalesce(json_agg(json_build_array(id, email, username, "passwordHash")), '[]') FROM "User" WHERE "realmId" = ${realmId}) AS users,
      (SELECT coalesce(json_agg(id), '[]') FROM "Application" WHERE "realmId" = ${realmId}) AS applications,
      (SELECT coalesce(json_agg(id), '[]') FROM "ManagementKey" WHERE "realmId" = ${realmId}) AS keys,
      (
        EXISTS (SELECT 1 FROM "Application" a JOIN "ApplicationRole" ar ON ar."applicationId" = a.id
                JOIN "RoleScope" rs ON rs."roleId" = ar."roleId" JOIN management m ON m.id = rs."scopeId"
                WHERE a."realmId" = ${realmId} AND a.type = 'm2m' AND 'client_credentials' = ANY (a."grantTypes")
                GROUP BY a.id HAVING array_agg(m.name) @> (SELECT names FROM every_scope))
        OR EXISTS (SELECT 1 FROM "User" u JOIN "UserRole" ur ON ur."userId" = u.id AND ur."tenantId" IS NULL
                JOIN "RoleScope" rs ON rs."roleId" = ur."roleId" JOIN management m ON m.id = rs."scopeId"
                WHERE u."realmId" = ${realmId} AND u.status = 'active'
                GROUP BY u.id HAVING array_agg(m.name) @> (SELECT names FROM every_scope))
        OR EXISTS (SELECT 1 FROM "ManagementKey" k WHERE k."realmId" = ${realmId} AND k."revokedAt" IS NULL
                AND k."expiresAt" IS NULL AND k.scopes @> (SELECT names FROM every_scope))
      ) AS administrator,
      json_build_object(
        'the administrator user', (SELECT json_build_object(
            'email', u.email, 'username', u.username, 'passwordHash', u."passwordHash", 'passwordExpired', u."passwordExpired",
            'passwordTemporary', u."passwordTemporary", 'status', u.status,
            'roles', (SELECT json_agg(json_build_array(ur."roleId", ur."tenantId") ORDER BY ur."roleId", ur."tenantId") FROM "UserRole" ur WHERE ur."userId" = u.id),
            'identities', (SELECT json_agg(json_build_array(i.id, i.provider, i."providerUserId") ORDER BY i.id) FROM "Identity" i WHERE i."userId" = u.id),
            'passkeys', (SELECT json_agg(p.id ORDER BY p.id) FROM "Passkey" p WHERE p."userId" = u.id),
            'sessions', (SELECT json_agg(json_build_array(s.id, (SELECT count(*) FROM "RefreshToken" t WHERE t."sessionId" = s.id)) ORDER BY s.id)
                         FROM "Session" s WHERE s."userId" = u.id AND s."revokedAt" IS NULL))
          FROM "User" u WHERE u.id = ${fixtures.administrator.id}),
        'the bootstrap admin application', (SELECT json_build_object(
            'clientSecretHash', a."clientSecretHash", 'type', a.type, 'grantTypes', a."grantTypes", 'redirectUris', a."redirectUris",
            'roles', (SELECT json_agg(ar."roleId" ORDER BY ar."roleId") FROM "ApplicationRole" ar WHERE ar."applicationId" = a.id))
          FROM "Application" a WHERE a.id = ${fixtures.adminApplicationId}),
        'the all-scope management key', (SELECT json_build_object('scopes', k.scopes, 'revokedAt', k."revokedAt", 'expiresAt', k."expiresAt")
          FROM "ManagementKey" k WHERE k.id = ${fixtures.adminKeyId}),
        'the admin role', (SELECT json_build_object('scopes', (SELECT json_agg(rs."scopeId" ORDER BY rs."scopeId") FROM "RoleScope" rs WHERE rs."roleId" = r.id))
          FROM "Role" r WHERE r.id = ${fixtures.adminRoleId}),
        'the management API', (SELECT json_build_object(
            'name', r.name, 'indicator', r.indicator, 'tokenLifetime', r."tokenLifetime",
            'scopes', (SELECT json_agg(json_build_array(s.id, s.name, s.description) ORDER BY s.id) FROM "Scope" s WHERE s."resourceId" = r.id))
          FROM "Resource" r WHERE r.id = ${fixtures.managementApiId})
      ) AS privileged`;
  const parsed = <T>(value: unknown): T => (typeof value === "string" ? JSON.parse(value) : value) as T;
  const scopes: ScopeMap = new Map();
  for (const [principal, scope] of parsed<Array<[string, string]>>(row!.grants)) {
    if (!scopes.has(principal)) scopes.set(principal, new Set());
    scopes.get(principal)!.add(scope);
  }
  const privileged = new Map<string, Record<string, string>>();
  for (const [label, state] of Object.entries(parsed<Record<string, Record<string, unknown> | null>>(row!.privileged))) {
    privileged.set(label, state === null ? { exists: "false" } : Object.fromEntries(Object.entries(state).map(([key, value]) => [key, JSON.stringify(value)])));
  }
  return {
    scopes,
    users: new Map(
      parsed<Array<[string, string | null, string | null, string | null]>>(row!.users).map(([id, email, username, passwordHash]) => [id, { email, username, passwordHash }]),
    ),
    applicationIds: new Set(parsed<string[]>(row!.applications)),
    keyIds: new Set(parsed<string[]>(row!.keys)),
    hasAdministrator: row!.administrator,
    privileged,
  };
}

/** Claims of a JWT, without verifying it (the test reads what a token it holds says). */
export function claimsOf(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split(".")[1]!, "base64url").toString("utf8"));
}

export const looksLikeJwt = (value: unknown): value is string => typeof value === "string" && /^eyJ[\w-]*\.eyJ[\w-]*\.[\w-]+$/.test(value);

/** Management scopes a token's claims carry: `scope` (space-separated), `scp` and `permissions`. */
export function managementScopesInClaims(claims: Record<string, unknown>): string[] {
  const names = [
    ...(typeof claims.scope === "string" ? claims.scope.split(" ") : []),
    ...[claims.scp, claims.permissions].flatMap((value) => (Array.isArray(value) ? value.map(String) : typeof value === "string" ? value.split(" ") : [])),
  ];
  return [...new Set(names.filter((name) => allManagementScopes.includes(name)))];
}
