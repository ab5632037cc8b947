// Reads through the driver itself. Prisma's "client" engine compiles every statement, raw ones
// included, which costs 0.3–1 ms of CPU per query on this stack (bench/README figures); the
// hottest reads skip that. Values go and come back the way Prisma handles them: `timestamp`
// columns hold UTC (Date parameters are sent as ISO strings, and read back as Dates), jsonb is
// parsed, enums are strings.
import { createHash } from "node:crypto";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type SqlReader = <Row>(sql: string | PreparedStatement, params: unknown[]) => Promise<Row[]>;

/** A statement of fixed text that PostgreSQL parses and plans once per connection. */
export type PreparedStatement = { readonly text: string; readonly name: string };

/**
 * Marks a hot statement of fixed text (never one built from input) as prepared: without a name
 * the driver sends it unnamed, and PostgreSQL parses and plans it again at every execution,
 * which for the token endpoints' CTEs costs more than running them. PGlite runs the text.
 */
export function prepared(text: string): PreparedStatement {
  return { text, name: `ug_${createHash("sha256").update(text).digest("hex").slice(0, 20)}` };
}

const textOf = (sql: string | PreparedStatement) => (typeof sql === "string" ? sql : sql.text);

/** Tells `onQuery` of each statement, as the Prisma client does, so that tests count them all. */
export function reportingReader(read: SqlReader, onQuery?: (sql: string) => void): SqlReader {
  if (!onQuery) return read;
  return (sql, params) => {
    onQuery(textOf(sql));
    return read(sql, params);
  };
}

const timestampWithoutTimeZone = 1114;

/** `2026-11-23 14:18:24.852` is UTC; both drivers would otherwise read it in the process's zone. */
const utcTimestamp = (value: string): Date => new Date(`${value.replace(" ", "T")}Z`);

/** Both drivers would send a Date in the process's zone; `timestamp` ignores an offset, so send UTC. */
const utcParameters = (params: unknown[]) => params.map((value) => (value instanceof Date ? value.toISOString() : value));

export function postgresReader(pool: pg.Pool): SqlReader {
  const types = {
    getTypeParser: ((oid: number, format?: "text" | "binary") =>
      oid === timestampWithoutTimeZone ? utcTimestamp : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
  };
  return async <Row>(sql: string | PreparedStatement, values: unknown[]) => {
    const statement = typeof sql === "string" ? { text: sql } : sql;
    return (await pool.query({ ...statement, values: utcParameters(values), types })).rows as Row[];
  };
}

export function pgliteReader(client: PGlite): SqlReader {
  const parsers = { [timestampWithoutTimeZone]: utcTimestamp };
  return async <Row>(sql: string | PreparedStatement, params: unknown[]) =>
    (await client.query<Row>(textOf(sql), utcParameters(params), { parsers })).rows;
}
