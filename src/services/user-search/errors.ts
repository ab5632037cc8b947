// The one error a search query can raise. `position` is the 0-based offset in the query string
// of what broke, and the message always ends with "at position N" so it reads well on its own.

export const maxQueryLength = 1000;
export const maxNestingDepth = 20;

export class SearchSyntaxError extends Error {
  override name = "SearchSyntaxError";
  readonly code = "SEARCH_SYNTAX_ERROR";

  constructor(
    /** What broke, without the position: `unexpected ")"`. */
    readonly reason: string,
    readonly position: number,
  ) {
    super(`${reason} at position ${position}`);
  }
}
