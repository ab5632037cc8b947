// Bench data written straight into the tables with set-based SQL (seconds, not the minutes the
// API would take): users of the default realm, roles with scopes, and role assignments.
// Runs on a pg client (PostgreSQL) or an in-process PGlite opened on the stopped server's data directory.
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { lockDataDir } from "../src/db/data-dir-lock.js";
import { pgliteExtensions } from "../src/db/pglite-cluster.js";

/** The little both drivers have in common. */
export type SqlRunner = {
  query<Row extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<Row[]>;
  close(): Promise<void>;
};

export async function postgresRunner(url: string): Promise<SqlRunner> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  await client.connect();
  return {
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await client.query(sql, params)).rows as Row[],
    close: () => client.end(),
  };
}

/** Opens the data directory as the server does (same layout, lock and extensions); the server must be stopped. */
export async function pgliteRunner(dataDir: string): Promise<SqlRunner> {
  const release = await lockDataDir(dataDir);
  const client = await PGlite.create(path.join(dataDir, "pglite"), { extensions: pgliteExtensions });
  return {
    query: async <Row extends Record<string, unknown>>(sql: string, params: unknown[] = []) =>
      (await client.query<Row>(sql, params)).rows,
    close: async () => {
      await client.close();
      await release();
    },
  };
}

export type SeedPlan = { users: number; roles: number; scopes: number; rolesPerUser: number; scopesPerRole: number };

export const defaultSeedPlan: SeedPlan = { users: 10_000, roles: 5, scopes: 8, rolesPerUser: 2, scopesPerRole: 3 };

export type SeedResult = { realmId: string; userIds: string[]; ms: number };

/**
 * An id of the given prefix: 26 lowercase Crockford base-32 characters like a ULID. md5's hex
 * digits are all in that alphabet; the leading 0 keeps it a valid 128-bit ULID.
 */
const idSql = (prefix: string, seed: string) => `'${prefix}_0' || substr(md5(${seed}), 1, 25)`;

const givenNames = ["John", "Jane", "Joanna", "Mary", "Marco", "Liam", "Lina", "Noah", "Nora", "Olivia",
  "Oscar", "Emma", "Ethan", "Ava", "Aaron", "Sofia", "Samuel", "Mia", "Lucas", "Chloe"];
const familyNames = ["Smith", "Martin", "Garcia", "Müller", "Rossi", "Dubois", "Kowalski", "Nguyen", "Tanaka", "Silva",
  "Johnson", "Brown", "Davis", "Miller", "Wilson", "Moore", "Taylor", "Anderson", "Thomas", "Jackson",
  "White", "Harris", "Clark", "Lewis", "Walker", "Hall", "Young", "King", "Wright", "Lopez",
  "Hill", "Scott", "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Perez", "Roberts",
  "Turner", "Phillips", "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy"];
const sqlArray = (values: string[]) => `ARRAY[${values.map((value) => `'${value}'`).join(", ")}]`;

/**
 * Users first..last of the realm: email bench.user<i>@example.test, a name from 20 given × 50
 * family names, app_metadata {plan (1 in 10 "pro"), customer "cus_<i>"}. Created newest first,
 * one second apart, so pages ordered by creation are stable.
 */
export async function insertUsers(sql: SqlRunner, realmId: string, first: number, last: number): Promise<void> {
  await sql.query(
    `INSERT INTO "User" (id, "realmId", email, "emailVerified", name, "givenName", "familyName",
                         "appMetadata", "userMetadata", "createdAt", "updatedAt")
     SELECT ${idSql("usr", "'bench-user-' || i")}, $1, 'bench.user' || i || '@example.test', i % 2 = 0,
            given || ' ' || family, given, family,
            jsonb_build_object('plan', CASE WHEN i % 10 = 0 THEN 'pro' ELSE 'free' END, 'customer', 'cus_' || i),
            jsonb_build_object('theme', 'dark'),
            now() - make_interval(secs => i), now()
     FROM generate_series($2::int, $3::int) AS i,
          LATERAL (SELECT (${sqlArray(givenNames)})[1 + i % ${givenNames.length}] AS given,
                          (${sqlArray(familyNames)})[1 + (i / ${givenNames.length}) % ${familyNames.length}] AS family) AS names`,
    [realmId, first, last],
  );
}

export async function seedBenchData(sql: SqlRunner, plan: SeedPlan = defaultSeedPlan): Promise<SeedResult> {
  const started = performance.now();
  const [realm] = await sql.query<{ id: string }>(`SELECT id FROM "Realm" WHERE name = 'default'`);
  if (!realm) throw new Error('no realm named "default": did the gateway bootstrap this database?');
  const realmId = realm.id;

  await sql.query("BEGIN");
  try {
    await sql.query(
      `INSERT INTO "Resource" (id, "realmId", name, indicator, "updatedAt")
       VALUES (${idSql("res", "'bench-resource'")}, $1, 'Bench API', 'https://bench.usergate.test/api', now())`,
      [realmId],
    );
    await sql.query(
      `INSERT INTO "Scope" (id, "realmId", "resourceId", name, description, "updatedAt")
       SELECT ${idSql("scp", "'bench-scope-' || i")}, $1, r.id, 'bench:scope' || i, 'Bench scope ' || i, now()
       FROM generate_series(1, $2::int) AS i, "Resource" r
       WHERE r."realmId" = $1 AND r.indicator = 'https://bench.usergate.test/api'`,
      [realmId, plan.scopes],
    );
    await sql.query(
      `INSERT INTO "Role" (id, "realmId", name, description, "updatedAt")
       SELECT ${idSql("rol", "'bench-role-' || i")}, $1, 'bench-role-' || i, 'Bench role ' || i, now()
       FROM generate_series(1, $2::int) AS i`,
      [realmId, plan.roles],
    );
    // Role i holds scopes i, i+1, … (wrapping), scopesPerRole of them.
    await sql.query(
      `INSERT INTO "RoleScope" ("roleId", "scopeId")
       SELECT ${idSql("rol", "'bench-role-' || r")}, ${idSql("scp", "'bench-scope-' || ((r - 1 + k) % $1::int + 1)")}
       FROM generate_series(1, $2::int) AS r, generate_series(0, $3::int - 1) AS k`,
      [plan.scopes, plan.roles, plan.scopesPerRole],
    );
    await insertUsers(sql, realmId, 1, plan.users);
    // User i holds roles (i mod roles) + 1, … realm-wide (tenantId NULL).
    await sql.query(
      `INSERT INTO "UserRole" (id, "userId", "roleId", "tenantId")
       SELECT ${idSql("uro", "'bench-user-role-' || i || '-' || k")},
              ${idSql("usr", "'bench-user-' || i")},
              ${idSql("rol", "'bench-role-' || ((i + k) % $2::int + 1)")}, NULL
       FROM generate_series(1, $1::int) AS i, generate_series(0, $3::int - 1) AS k`,
      [plan.users, plan.roles, plan.rolesPerUser],
    );
    await sql.query("COMMIT");
  } catch (error) {
    await sql.query("ROLLBACK");
    throw error;
  }
  await sql.query("ANALYZE");

  const rows = await sql.query<{ id: string }>(
    `SELECT id FROM "User" WHERE "realmId" = $1 AND email LIKE 'bench.user%' ORDER BY id`,
    [realmId],
  );
  return { realmId, userIds: rows.map((row) => row.id), ms: performance.now() - started };
}
