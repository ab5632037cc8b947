// Listing users: every filter, the search query and keyset pagination compiled into one
// parameterised SQL statement over indexed columns, returning the ids of one page in order.
import { Prisma, type User, type UserStatus } from "../generated/prisma/client.js";
import type { SqlReader } from "../db/sql-reader.js";
import { compileUserSearch } from "./user-search/index.js";

export type UserFilters = {
  status?: UserStatus[] | null;
  /** Users holding any of these roles (realm-wide or in a tenant). */
  roleIds?: string[] | null;
  tenantId?: string | null;
  applicationId?: string | null;
  email?: string | null;
  createdAfter?: Date | null;
  createdBefore?: Date | null;
  lastLoginAfter?: Date | null;
  lastLoginBefore?: Date | null;
  /** A query in the seed 000 `q` syntax. */
  search?: string | null;
};

export type UserOrderField = "createdAt" | "email" | "name" | "lastLoginAt" | "updatedAt";
export type UserOrder = { field: UserOrderField; direction: "asc" | "desc" };

/** Sort expressions never NULL, so keyset comparisons stay total; id breaks ties. */
const sortExpressions: Record<UserOrderField, Prisma.Sql> = {
  createdAt: Prisma.sql`"createdAt"`,
  email: Prisma.sql`coalesce("email", '')`,
  name: Prisma.sql`coalesce(lower("name"), '')`,
  lastLoginAt: Prisma.sql`coalesce("lastLoginAt", '-infinity'::timestamp)`,
  updatedAt: Prisma.sql`"updatedAt"`,
};

export type PageRequest = {
  order: UserOrder;
  /** The row after (or before) which the page starts, as [sort value, id]. */
  after?: UserCursor | null;
  before?: UserCursor | null;
  limit: number;
  offset?: number;
  /** Read backwards from `before` (Relay `last`). */
  inverted?: boolean;
};

export type UserCursor = [sortValue: string, id: string];

export function whereClause(realmId: string, filters: UserFilters): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`"realmId" = ${realmId}`];
  if (filters.status?.length) conditions.push(Prisma.sql`"status"::text IN (${Prisma.join(filters.status)})`);
  if (filters.email) conditions.push(Prisma.sql`"email" = ${filters.email.toLowerCase()}`);
  if (filters.roleIds?.length) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "UserRole" ur WHERE ur."userId" = "User".id AND ur."roleId" IN (${Prisma.join(filters.roleIds)}))`);
  }
  if (filters.tenantId) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "UserTenant" ut WHERE ut."userId" = "User".id AND ut."tenantId" = ${filters.tenantId})`);
  }
  if (filters.applicationId) {
    conditions.push(
      Prisma.sql`EXISTS (SELECT 1 FROM "UserApplication" ua WHERE ua."userId" = "User".id AND ua."applicationId" = ${filters.applicationId})`,
    );
  }
  if (filters.createdAfter) conditions.push(Prisma.sql`"createdAt" >= ${filters.createdAfter}`);
  if (filters.createdBefore) conditions.push(Prisma.sql`"createdAt" < ${filters.createdBefore}`);
  if (filters.lastLoginAfter) conditions.push(Prisma.sql`"lastLoginAt" >= ${filters.lastLoginAfter}`);
  if (filters.lastLoginBefore) conditions.push(Prisma.sql`"lastLoginAt" < ${filters.lastLoginBefore}`);
  if (filters.search?.trim()) conditions.push(compileUserSearch(filters.search));
  return Prisma.join(conditions, " AND ");
}

/** Ids of one page, in display order, plus one extra row when more follow. */
export async function userPageIds(
  read: SqlReader,
  realmId: string,
  filters: UserFilters,
  page: PageRequest,
): Promise<Array<{ id: string; sortValue: string }>> {
  const statement = userPageQuery(realmId, filters, page);
  return read<{ id: string; sortValue: string }>(statement.text, statement.values);
}

/** The statement behind `userPageIds` (the benchmark explains it). */
export function userPageQuery(realmId: string, filters: UserFilters, page: PageRequest): Prisma.Sql {
  const sort = sortExpressions[page.order.field];
  // Reading backwards flips the direction; the caller reverses the rows back.
  const ascending = (page.order.direction === "asc") !== Boolean(page.inverted);
  const keyset: Prisma.Sql[] = [];
  const boundary = (cursor: UserCursor, after: boolean) => {
    const greater = (page.order.direction === "asc") === after;
    return greater
      ? Prisma.sql`(${sort}, id) > (${cast(page.order.field, cursor[0])}, ${cursor[1]})`
      : Prisma.sql`(${sort}, id) < (${cast(page.order.field, cursor[0])}, ${cursor[1]})`;
  };
  if (page.after) keyset.push(boundary(page.after, true));
  if (page.before) keyset.push(boundary(page.before, false));
  const where = Prisma.join([whereClause(realmId, filters), ...keyset], " AND ");
  const direction = ascending ? Prisma.raw("ASC") : Prisma.raw("DESC");
  return Prisma.sql`
    SELECT id, (${sort})::text AS "sortValue" FROM "User"
    WHERE ${where}
    ORDER BY ${sort} ${direction}, id ${direction}
    LIMIT ${page.limit} OFFSET ${page.offset ?? 0}`;
}

const userColumns = new Set<string>(Object.values(Prisma.UserScalarFieldEnum));

/**
 * The given columns of the users of the realm with these ids (all columns when none are named),
 * in no particular order; ids of other realms or of no one are left out. Fewer columns are
 * measurably cheaper to describe and parse.
 */
export async function findUserRows(read: SqlReader, realmId: string, ids: string[], columns: string[] = []): Promise<Array<Partial<User>>> {
  const unknown = columns.find((column) => !userColumns.has(column));
  if (unknown !== undefined) throw new Error(`User has no column ${unknown}`);
  const list = columns.length > 0 ? columns.map((column) => `"${column}"`).join(", ") : "*";
  return read<Partial<User>>(`SELECT ${list} FROM "User" WHERE "realmId" = $1 AND id = ANY($2)`, [realmId, ids]);
}

export async function countUsers(read: SqlReader, realmId: string, filters: UserFilters): Promise<number> {
  const statement = Prisma.sql`SELECT count(*)::int AS count FROM "User" WHERE ${whereClause(realmId, filters)}`;
  const rows = await read<{ count: number }>(statement.text, statement.values);
  return rows[0]?.count ?? 0;
}

const timestampOrders = new Set<UserOrderField>(["createdAt", "updatedAt", "lastLoginAt"]);

/** Whether a cursor's sort value can be compared as the order's column (timestamps as PostgreSQL prints them). */
export function isSortValue(field: UserOrderField, value: string): boolean {
  return !timestampOrders.has(field) || /^(-infinity|\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{1,6})?)$/.test(value);
}

/** Cursor values come back as text; compare them as the column's type. */
function cast(field: UserOrderField, value: string): Prisma.Sql {
  return timestampOrders.has(field)
    ? Prisma.sql`${value}::timestamp`
    : Prisma.sql`${value}`;
}
