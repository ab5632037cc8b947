import type { PGlite } from "@electric-sql/pglite";
import type pg from "pg";

/** A single connection on which raw SQL runs in order: the migrator uses it. */
export type SqlSession = {
  query<Row>(sql: string, params?: unknown[]): Promise<Row[]>;
  /** Runs a script of several statements (simple protocol, no parameters). */
  exec(script: string): Promise<void>;
};

export function pgliteSession(client: PGlite): SqlSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query<Row>(sql, params)).rows,
    exec: async (script) => void (await client.exec(script)),
  };
}

export function postgresSession(client: pg.ClientBase): SqlSession {
  return {
    query: async <Row>(sql: string, params?: unknown[]) => (await client.query(sql, params)).rows as Row[],
    exec: async (script) => void (await client.query(script)),
  };
}
