// Arguments shared by the lists: the page size every connection checks, and for the small
// management lists (roles, applications, resources) `offset` for page-number pagination on top
// of cursors and `search`, a case-insensitive substring.
import { GraphQLError } from "graphql";
import { limits } from "./input-limits.js";

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });

export const listArgumentDescriptions = {
  offset: "Rows to skip before the page (page-number pagination); use cursors where you can.",
  search: "Case-insensitive substring of the name.",
} as const;

export type PageSize = { first?: number | null; last?: number | null };

/**
 * Relay allows `first` and `last` together (the last `last` of the first `first`); Pothos' prisma
 * connections answer it with the wrong rows, no client of ours needs it, and it reads as a
 * mistake: every connection refuses it rather than answer one way on users and another elsewhere.
 */
export function checkPageSize({ first, last }: PageSize): void {
  if (first != null && last != null) {
    throw badInput("first and last cannot be combined: page forward with first (and after) or backward with last (and before)");
  }
  if ((first ?? 0) < 0 || (last ?? 0) < 0) throw badInput("first and last must not be negative");
}

/** Rows to skip: added to the connection's own skip (1 after a cursor, 0 otherwise). */
export function offsetOf(offset: number | null | undefined): number {
  if (offset === null || offset === undefined) return 0;
  if (offset < 0) throw badInput("offset must not be negative");
  return offset;
}

/** A Prisma string filter for `search`, or undefined when there is none. */
export function containsText(search: string | null | undefined) {
  if (search === null || search === undefined || search === "") return undefined;
  if (search.length > limits.nameLength) throw badInput(`search must be at most ${limits.nameLength} characters`);
  return { contains: search, mode: "insensitive" as const };
}
