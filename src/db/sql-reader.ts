// Reads through the driver itself. Prisma's "client" engine compiles every statement, raw ones
// included, which costs 0.3–1 ms of CPU per query on this stack (bench/README figures); the
// hottest reads skip that. Values go and come back the way Prisma handles them: `timestamp`
// columns hold UTC (Date parameters are sent as ISO strings, and read back as Dates), jsonb is
// parsed, enums are strings.
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";

export type SqlReader = <Row>(sql: string, params: unknown[]) => Promise<Row[]>;

/** Tells `onQuery` of each statement, as the Prisma client does, so that tests count them all. */
export function reportingReader(read: SqlReader, onQuery?: (sql: string) => void): SqlReader {
  if (!onQuery) return read;
  return (sql, params) => {
    onQuery(sql);
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
  return async <Row>(text: string, values: unknown[]) => (await pool.query({ text, values: utcParameters(values), types })).rows as Row[];
}

export function pgliteReader(client: PGlite): SqlReader {
  const parsers = { [timestampWithoutTimeZone]: utcTimestamp };
  return async <Row>(sql: string, params: unknown[]) => (await client.query<Row>(sql, utcParameters(params), { parsers })).rows;
}
