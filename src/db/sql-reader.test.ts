import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTestDatabase, type TestDatabase } from "../../test/support/test-database.js";
import { postgresReader, prepared } from "./sql-reader.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(() => database.close());

describe("prepared statements", () => {
  const sum = prepared("SELECT $1::int + 1 AS n, $2::timestamp AS at");

  it("are named by their text: the same text, the same name", () => {
    expect(prepared("SELECT $1::int + 1 AS n, $2::timestamp AS at").name).toBe(sum.name);
    expect(prepared("SELECT $1::int + 2 AS n").name).not.toBe(sum.name);
  });

  it("answer like their text, timestamps in UTC included", async () => {
    const at = new Date("2026-12-05T10:00:00.123Z");
    for (const statement of [sum, sum.text, sum]) {
      expect(await database.read(statement, [41, at])).toEqual([{ n: 42, at }]);
    }
  });

  it.runIf(inject("postgresTemplate"))("are parsed once per PostgreSQL connection, then only bound and run", async () => {
    const pool = new pg.Pool({ connectionString: database.url!, max: 1 });
    try {
      const read = postgresReader(pool);
      await read(sum, [1, new Date()]);
      await read(sum, [2, new Date()]);
      const statements = await read<{ name: string }>("SELECT name FROM pg_prepared_statements", []);
      expect(statements).toEqual([{ name: sum.name }]);
    } finally {
      await pool.end();
    }
  });
});
