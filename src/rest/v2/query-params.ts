// The query strings of the v2 lists (seed 000, Auth0's Management API v2): `page` (0-based),
// `per_page`, `include_totals`, `q`, `sort` (`field:1|-1`), `fields`/`include_fields`. Each route
// declares its own strict schema from these parts: an unknown parameter is a 400 as in Auth0.
import type { Context } from "hono";
import { z } from "zod";
import { v2Error } from "./errors.js";
import { describeIssue } from "./request-body.js";

/** Deeper pages than this are refused rather than scanned. */
const maxPage = 100_000;

/** A whole number from `min` to `max`, written in decimal digits. */
export const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `must be an integer between ${min} and ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `must be an integer between ${min} and ${max}`);

export const booleanParam = z.enum(["true", "false"], { error: "must be true or false" }).transform((value) => value === "true");

/** `page` (from 0), `per_page` (1 to `maxPerPage`, that by default), `include_totals`. */
export function pageParams(maxPerPage: number) {
  return {
    page: wholeNumber(0, maxPage).default(0),
    per_page: wholeNumber(1, maxPerPage).default(maxPerPage),
    include_totals: booleanParam.default(false),
  };
}

export type PageQuery = { page: number; per_page: number; include_totals: boolean };

/** Connection arguments for the page. */
export const pageArguments = (query: PageQuery) => ({ first: query.per_page, offset: query.page * query.per_page });

/** The query parsed by the schema, or the 400 invalid_query_string to send. */
export function parseQuery<Schema extends z.ZodType>(c: Context, schema: Schema): z.output<Schema> | Response {
  const values: Record<string, string> = {};
  for (const [name, all] of Object.entries(c.req.queries())) {
    if (all.length > 1) return queryError(c, `${name} must be given once`);
    values[name] = all[0]!;
  }
  const parsed = schema.safeParse(values, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const detail = issue.code === "unrecognized_keys" ? `unknown parameter${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}` : describeIssue(issue);
  return queryError(c, detail);
}

export const queryError = (c: Context, detail: string) => v2Error(c, 400, `Query validation error: ${detail}`, "invalid_query_string");

/** A page of items in memory (lists GraphQL returns whole: a user's roles and permissions). */
export function slicePage<Item>(items: Item[], query: PageQuery): Item[] {
  const start = query.page * query.per_page;
  return items.slice(start, start + query.per_page);
}

/** Auth0's paged body: `{start, limit, total, <key>: items}`. */
export function totalsBody<Key extends string, Item>(key: Key, items: Item[], query: PageQuery, total: number) {
  return { start: query.page * query.per_page, limit: query.per_page, total, [key]: items } as {
    start: number;
    limit: number;
    total: number;
  } & Record<Key, Item[]>;
}
