// Whole-database views for tests that must prove "nothing else changed" or "never stored".
import type { PrismaClient } from "../../src/generated/prisma/client.js";

/** The application's tables (everything in the current schema except the migration log). */
export async function tableNames(prisma: PrismaClient): Promise<string[]> {
  const rows = await prisma.$queryRawUnsafe<Array<{ name: string }>>(
    `SELECT tablename::text AS name FROM pg_tables
     WHERE schemaname = current_schema() AND tablename <> '_prisma_migrations' ORDER BY tablename`,
  );
  return rows.map((row) => row.name);
}

/** Row count of every table, by table name. */
export async function countRows(prisma: PrismaClient): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const table of await tableNames(prisma)) {
    const [row] = await prisma.$queryRawUnsafe<Array<{ count: number }>>(
      `SELECT count(*)::int AS count FROM "${table}"`,
    );
    counts[table] = row!.count;
  }
  return counts;
}

/** Every row of every table as JSON text, to search for values that must never be stored. */
export async function everyRowAsText(prisma: PrismaClient): Promise<string[]> {
  const texts: string[] = [];
  for (const table of await tableNames(prisma)) {
    const rows = await prisma.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${table}" t`,
    );
    texts.push(...rows.map((row) => row.row));
  }
  return texts;
}
