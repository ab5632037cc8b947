// Arguments shared by the small management lists (roles, applications, resources): `offset`
// for page-number pagination on top of cursors, and `search`, a case-insensitive substring.
import { GraphQLError } from "graphql";
import { limits } from "./input-limits.js";

const badInput = (message: string) => new GraphQLError(message, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });

export const listArgumentDescriptions = {
  offset: "Rows to skip before the page (page-number pagination); use cursors where you can.",
  search: "Case-insensitive substring of the name.",
} as const;

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
