// The escalations of issue 13 through each REST profile: a token holding what a route needs,
// but not what the privileged principals hold, calls the route against them. Every route
// reaches the privilege policy through its GraphQL operation, so each answers 403 with its
// profile's error body and changes nothing: no row of any table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { managementAdminRoleName } from "../src/services/management-api.js";
import { tokenFor } from "./support/api-client.js";
import { startTestGateway, type TestGateway } from "./support/gateway.js";
import {
  allManagementScopes,
  createActor,
  createFixtures,
  readBaseline,
  restoreRealm,
  type Actor,
  type Baseline,
  type Fixtures,
} from "./support/privilege-fixtures.js";
import { tableNames } from "./support/table-rows.js";

type Request = { method: string; path: string; body?: unknown };
type Case = { route: string; scopes: string[]; request: (fixtures: Fixtures, actor: Actor) => Request };

const attackerPassword = "attacker-chosen-password";
const v2User = (id: string) => encodeURIComponent(`usergate|${id}`);
const realmApi = (fixtures: Fixtures) => `/api/v1/${fixtures.realmId}`;
const scopeId = (fixtures: Fixtures, name: string) => fixtures.managementScopes.find((scope) => scope.name === name)!.id;
const allScopeIds = (fixtures: Fixtures) => fixtures.managementScopes.map((scope) => scope.id);

const profiles: Array<{ profile: string; errorBody: unknown; cases: Case[] }> = [
  {
    profile: "v2 (/api/v2, seeds 000 and 002)",
    errorBody: { statusCode: 403, error: "Forbidden", message: expect.any(String), errorCode: "insufficient_scope" },
    cases: [
      {
        route: "POST /users/{id}/roles gives an ordinary user the admin role",
        scopes: ["users:read", "users:roles"],
        request: (f) => ({ method: "POST", path: `/api/v2/users/${v2User(f.ordinaryUser.id)}/roles`, body: { roles: [f.adminRoleId] } }),
      },
      {
        route: "DELETE /users/{id}/roles takes the admin role from the administrator",
        scopes: ["users:read", "users:roles"],
        request: (f) => ({ method: "DELETE", path: `/api/v2/users/${v2User(f.administrator.id)}/roles`, body: { roles: [f.adminRoleId] } }),
      },
      {
        route: "PATCH /users/{id} sets the administrator's password",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `/api/v2/users/${v2User(f.administrator.id)}`, body: { password: attackerPassword } }),
      },
      {
        route: "PATCH /users/{id} sets the administrator's email",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `/api/v2/users/${v2User(f.administrator.id)}`, body: { email: "takeover@attacker.test", email_verified: true } }),
      },
      {
        route: "PATCH /users/{id} sets the administrator's username",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `/api/v2/users/${v2User(f.administrator.id)}`, body: { username: "attacker-login" } }),
      },
      {
        route: "DELETE /users/{id} deletes the administrator",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "DELETE", path: `/api/v2/users/${v2User(f.administrator.id)}` }),
      },
    ],
  },
  {
    profile: "realm (/api/v1/{realm}, seed 003)",
    errorBody: { error: "insufficient_scope", message: expect.any(String) },
    cases: [
      {
        route: "POST /roles creates a role with every management scope",
        scopes: ["roles:read", "roles:write"],
        request: (f) => ({ method: "POST", path: `${realmApi(f)}/roles`, body: { name: "every scope", scope_ids: allScopeIds(f) } }),
      },
      {
        route: "POST /roles/{id}/scopes gives its own role every management scope",
        scopes: ["roles:read", "roles:write"],
        request: (f, actor) => ({ method: "POST", path: `${realmApi(f)}/roles/${actor.roleId}/scopes`, body: { scope_ids: allScopeIds(f) } }),
      },
      {
        route: "DELETE /roles/{id}/scopes/{scope} takes a scope from the admin role",
        scopes: ["roles:read", "roles:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/roles/${f.adminRoleId}/scopes/${scopeId(f, "users:write")}` }),
      },
      {
        route: "DELETE /roles/{id} deletes the admin role",
        scopes: ["roles:read", "roles:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/roles/${f.adminRoleId}` }),
      },
      {
        route: "POST /applications creates an m2m application holding the admin role",
        scopes: ["applications:read", "applications:write"],
        request: (f) => ({ method: "POST", path: `${realmApi(f)}/applications`, body: { name: "shadow admin", type: "m2m", role_ids: [f.adminRoleId] } }),
      },
      {
        route: "POST /applications/{id}/roles gives its own application the admin role",
        scopes: ["applications:read", "applications:write"],
        request: (f, actor) => ({ method: "POST", path: `${realmApi(f)}/applications/${actor.applicationId}/roles`, body: { role_ids: [f.adminRoleId] } }),
      },
      {
        route: "DELETE /applications/{id}/roles/{role} takes the admin role from the bootstrap admin application",
        scopes: ["applications:read", "applications:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/applications/${f.adminApplicationId}/roles/${f.adminRoleId}` }),
      },
      {
        route: "DELETE /applications/{id} deletes the bootstrap admin application",
        scopes: ["applications:read", "applications:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/applications/${f.adminApplicationId}` }),
      },
      {
        route: "PATCH /resources/{id} changes the management API's token lifetime",
        scopes: ["resources:read", "resources:write"],
        request: (f) => ({ method: "PATCH", path: `${realmApi(f)}/resources/${f.managementApiId}`, body: { token_lifetime: 86_400 } }),
      },
      {
        route: "POST /resources/{id}/scopes adds a scope to the management API",
        scopes: ["resources:read", "resources:write"],
        request: (f) => ({ method: "POST", path: `${realmApi(f)}/resources/${f.managementApiId}/scopes`, body: { name: "everything:write" } }),
      },
      {
        route: "PATCH /resources/{id}/scopes/{scope} renames a management scope",
        scopes: ["resources:read", "resources:write"],
        request: (f) => ({ method: "PATCH", path: `${realmApi(f)}/resources/${f.managementApiId}/scopes/${scopeId(f, "audit:read")}`, body: { name: "audit:everything" } }),
      },
      {
        route: "DELETE /resources/{id}/scopes/{scope} deletes a management scope",
        scopes: ["resources:read", "resources:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/resources/${f.managementApiId}/scopes/${scopeId(f, "realms:write")}` }),
      },
      {
        route: "DELETE /resources/{id} deletes the management API",
        scopes: ["resources:read", "resources:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/resources/${f.managementApiId}` }),
      },
      {
        route: "POST /users creates a user with the admin role and a password it chose",
        scopes: ["users:read", "users:write", "users:roles"],
        request: (f) => ({ method: "POST", path: `${realmApi(f)}/users`, body: { email: "shadow@attacker.test", password: attackerPassword, role_ids: [f.adminRoleId] } }),
      },
      {
        route: "POST /users/{id}/roles gives an ordinary user the admin role",
        scopes: ["users:read", "users:roles"],
        request: (f) => ({ method: "POST", path: `${realmApi(f)}/users/${f.ordinaryUser.id}/roles`, body: { role_ids: [f.adminRoleId] } }),
      },
      {
        route: "DELETE /users/{id}/roles/{role} takes the admin role from the administrator",
        scopes: ["users:read", "users:roles"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/users/${f.administrator.id}/roles/${f.adminRoleId}` }),
      },
      {
        route: "PATCH /users/{id} sets the administrator's email",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `${realmApi(f)}/users/${f.administrator.id}`, body: { email: "takeover@attacker.test", email_verified: true } }),
      },
      {
        route: "PATCH /users/{id} sets the administrator's username",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `${realmApi(f)}/users/${f.administrator.id}`, body: { username: "attacker-login" } }),
      },
      {
        route: "PATCH /users/{id}/password sets the administrator's password",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "PATCH", path: `${realmApi(f)}/users/${f.administrator.id}/password`, body: { password: attackerPassword } }),
      },
      {
        route: "DELETE /users/{id} deletes the administrator",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "DELETE", path: `${realmApi(f)}/users/${f.administrator.id}` }),
      },
    ],
  },
  {
    profile: "simple (/api/v1/users, seed 004)",
    errorBody: { error: "insufficient_scope", message: expect.any(String) },
    cases: [
      {
        route: "POST /api/v1/users creates a user with the admin role and a password it chose",
        scopes: ["users:read", "users:write", "users:roles", "roles:read"],
        request: () => ({ method: "POST", path: "/api/v1/users", body: { email: "shadow@attacker.test", password: attackerPassword, role: managementAdminRoleName } }),
      },
      {
        route: "PUT /api/v1/users/{id} gives an ordinary user the admin role",
        scopes: ["users:read", "users:write", "users:roles", "roles:read"],
        request: (f) => ({ method: "PUT", path: `/api/v1/users/${f.ordinaryUser.id}`, body: { role: managementAdminRoleName } }),
      },
      {
        route: "PUT /api/v1/users/{id} takes the administrator's role",
        scopes: ["users:read", "users:write", "users:roles", "roles:read"],
        request: (f) => ({ method: "PUT", path: `/api/v1/users/${f.administrator.id}`, body: { role: null } }),
      },
      {
        route: "DELETE /api/v1/users/{id} deletes the administrator",
        scopes: ["users:read", "users:write"],
        request: (f) => ({ method: "DELETE", path: `/api/v1/users/${f.administrator.id}` }),
      },
    ],
  },
];

let gateway: TestGateway;
let baseline: Baseline;

beforeAll(async () => {
  gateway = await startTestGateway();
  baseline = await readBaseline(gateway);
});
afterAll(() => gateway?.close());

/** Every row of every table, prefixed with its table, sorted. */
async function everyRow(): Promise<string[]> {
  const prisma = gateway.database.prisma;
  const rows: string[] = [];
  for (const table of await tableNames(prisma)) {
    const found = await prisma.$queryRawUnsafe<Array<{ row: string }>>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
    rows.push(...found.map(({ row }) => `${table} ${row}`));
  }
  return rows.sort();
}

const clip = (text: string) => (text.length > 240 ? `${text.slice(0, 240)}…` : text);

let sequence = 0;

for (const { profile, errorBody, cases } of profiles) {
  describe(`the ${profile} profile refuses a token above which it would act`, () => {
    for (const { route, scopes, request } of cases) {
      it(`${route} (token: ${scopes.join(" ")}): 403, nothing changed`, { timeout: 60_000 }, async () => {
        // The token lacks scopes the targets hold: every privileged principal holds all of them.
        expect(allManagementScopes.filter((scope) => !scopes.includes(scope)).length).toBeGreaterThan(0);
        await restoreRealm(gateway, baseline);
        const label = `rest-${++sequence}`;
        const fixtures = await createFixtures(gateway, label);
        const actor = await createActor(gateway, await tokenFor(gateway), scopes, label);
        const { method, path, body } = request(fixtures, actor);

        const before = await everyRow();
        const response = await gateway.request(path, {
          method,
          headers: { authorization: `Bearer ${actor.token}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await response.text();
        const after = await everyRow();

        const violations: string[] = [];
        const answer = { status: response.status, body: text ? JSON.parse(text) : null };
        if (!matches(answer, { status: 403, body: errorBody })) violations.push(`answered ${answer.status} ${clip(text)}`);
        const kept = new Set(after);
        const gone = before.filter((row) => !kept.has(row));
        const had = new Set(before);
        const added = after.filter((row) => !had.has(row));
        violations.push(...gone.map((row) => `changed or removed: ${clip(row)}`), ...added.map((row) => `written: ${clip(row)}`));
        expect(violations).toEqual([]);
      });
    }
  });
}

/** Whether the answer equals the expected one (asymmetric matchers included). */
function matches(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}
