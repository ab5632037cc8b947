// Search on 100,000 users: the three lookups the issue names (an exact email, a name prefix, an
// app_metadata value) through `users(search:)`, and the plans PostgreSQL picks for the very
// statement the API runs (user-directory's userPageQuery), so an index regression shows as a
// sequential scan, not only as a slower figure.
import { userPageQuery } from "../src/services/user-directory.js";
import type { Scenario } from "./scenarios.js";
import { insertUsers, type SqlRunner } from "./seed.js";

export const searchUserCount = 100_000;

/**
 * Latency, not throughput, is the figure: a few connections keep requests from queueing behind
 * each other, so p99 is the query's and the server's, not the queue's.
 */
const searchConnections = 4;

/** The n-th of a fixed pseudo-random walk over 1..users (the same walk every run). */
const userNumber = (n: number, users: number) => ((n * 7_919 + 13) % users) + 1;
const namePrefixes = ["joh", "jan", "joa", "mar", "lia", "lin", "noa", "nor", "oli", "osc", "emm", "eth", "aar", "sof", "sam"];

export type SearchKind = { name: string; description: string; query: (n: number) => string };

export const searchKinds = (users: number): SearchKind[] => [
  {
    name: "search-email",
    description: `users(search: email:"…") exact email, rotating over ${users} users`,
    query: (n) => `email:"bench.user${userNumber(n, users)}@example.test"`,
  },
  {
    name: "search-name-prefix",
    description: `users(search: name:jo*) name prefix, ${namePrefixes.length} prefixes (about 5% of users each)`,
    query: (n) => `name:${namePrefixes[n % namePrefixes.length]}*`,
  },
  {
    name: "search-app-metadata",
    description: `users(search: app_metadata.customer:"cus_…") one user's value, rotating`,
    query: (n) => `app_metadata.customer:"cus_${userNumber(n, users)}"`,
  },
];

const searchDocument = "query Search($q: String!) { users(first: 20, search: $q) { edges { node { id email name } } } }";

export function searchScenario(kind: SearchKind, token: string): Scenario {
  return {
    name: kind.name,
    description: kind.description,
    rotating: true,
    connections: searchConnections,
    request: (n) => ({
      method: "POST",
      path: "/graphql",
      headers: {
        "content-type": "application/json",
        accept: "application/graphql-response+json",
        authorization: `Bearer ${token}`,
      },
      body: JSON.stringify({ query: searchDocument, variables: { q: kind.query(n) } }),
    }),
    // Every search of the walk finds someone; autocannon does not say which request a body answers.
    verifyBody: (body) => body.startsWith('{"data"') && !body.includes('"errors"') && body.includes('"edges":[{'),
  };
}

/** Adds users up to `total` (numbers continue after the existing ones), then refreshes statistics. */
export async function topUpUsers(sql: SqlRunner, realmId: string, existing: number, total: number): Promise<number> {
  const started = performance.now();
  if (total > existing) await insertUsers(sql, realmId, existing + 1, total);
  await sql.query('ANALYZE "User"');
  return performance.now() - started;
}

export type SearchPlan = { scenario: string; search: string; plan: string[]; sequentialScan: boolean; executionMs: number | null };

/** EXPLAIN ANALYZE of the first page (20 rows plus the one that tells whether more follow). */
export async function explainSearches(sql: SqlRunner, realmId: string, kinds: SearchKind[]): Promise<SearchPlan[]> {
  const plans: SearchPlan[] = [];
  for (const kind of kinds) {
    const search = kind.query(1);
    const statement = userPageQuery(realmId, { search }, { order: { field: "createdAt", direction: "asc" }, limit: 21 });
    const rows = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, COSTS OFF) ${statement.text}`, statement.values);
    const plan = rows.map((row) => row["QUERY PLAN"]);
    const execution = plan.find((line) => line.startsWith("Execution Time:"));
    plans.push({
      scenario: kind.name,
      search,
      plan,
      sequentialScan: plan.some((line) => /Seq Scan on "User"/.test(line)),
      executionMs: execution ? Number(execution.replace(/[^0-9.]/g, "")) : null,
    });
  }
  return plans;
}
