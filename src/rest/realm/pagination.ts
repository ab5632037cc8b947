// Seed 003 lists: `page` (1-based), `per_page` (1–100, default 20), `search`; answered as
// `{data, meta:{current_page, per_page, total}}`. Pages map to the connection's first/offset.
import type { Context } from "hono";
import { z } from "zod";
import { realmError } from "./errors.js";

/** The largest page GraphQL serves (its connections' maximum). */
export const maxPerPage = 100;
/** Deeper pages than this are refused rather than scanned. */
const maxPage = 100_000;

const whole = (name: string, min: number, max: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, `${name} must be a whole number between ${min} and ${max}`)
    .transform(Number)
    .refine((value) => value >= min && value <= max, `${name} must be a whole number between ${min} and ${max}`);

const listQuery = z.object({
  page: whole("page", 1, maxPage).default(1),
  per_page: whole("per_page", 1, maxPerPage).default(20),
  search: z.string().max(200, "search must be at most 200 characters").optional(),
});

export type ListQuery = { page: number; perPage: number; search: string | null };

/** The list parameters of the query string, or the 400 to send. */
export function parseListQuery(c: Context): ListQuery | Response {
  const parsed = listQuery.safeParse(c.req.query());
  if (!parsed.success) return realmError(c, 400, "invalid_request", parsed.error.issues[0]!.message);
  const { page, per_page: perPage, search } = parsed.data;
  return { page, perPage, search: search?.trim() ? search.trim() : null };
}

/** Connection arguments for the page. */
export function pageArguments(query: ListQuery) {
  return { first: query.perPage, offset: (query.page - 1) * query.perPage };
}

export function pageBody<Item>(data: Item[], query: ListQuery, total: number) {
  return { data, meta: { current_page: query.page, per_page: query.perPage, total } };
}
