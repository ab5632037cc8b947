// A malformed query fails with a SearchSyntaxError that says what broke and where: `position`
// is the 0-based offset in the query, and the message ends with "at position N".
import { describe, expect, it } from "vitest";
import { compileUserSearch, maxNestingDepth, maxQueryLength, SearchSyntaxError } from "./index.js";

function failure(query: string): { message: string; position: number } {
  try {
    compileUserSearch(query);
  } catch (error) {
    if (!(error instanceof SearchSyntaxError)) throw error;
    expect(error.message).toBe(`${error.reason} at position ${error.position}`);
    expect(error.code).toBe("SEARCH_SYNTAX_ERROR");
    return { message: error.message, position: error.position };
  }
  throw new Error(`${JSON.stringify(query)} compiled without an error`);
}

describe("user search errors", () => {
  describe("syntax", () => {
    it.each([
      ["(name:john OR x))", 'unexpected ")" at position 16'],
      ["name:john )", 'unexpected ")" at position 10'],
      ["()", 'unexpected ")" at position 1'],
      ["AND a", 'unexpected "AND" at position 0'],
      ["a OR OR b", 'unexpected "OR" at position 5'],
      ["a AND", 'unexpected end of query after "AND" at position 5'],
      ["NOT", 'unexpected end of query after "NOT" at position 3'],
      ["(a OR b", 'missing ")" to close the "(" at position 0'],
      ["a (b (c)", 'missing ")" to close the "(" at position 2'],
      ['email:"john@example.com', "unterminated quoted phrase starting at position 6"],
      ['name:"ends with escape\\"', "unterminated quoted phrase starting at position 5"],
      ["name:john\\", 'dangling escape "\\" at the end of the query at position 9'],
      ["name:j*hn", 'wildcard "*" is only allowed at the end of a term at position 6'],
      ["*john", 'wildcard "*" is only allowed at the end of a term at position 0'],
      ["name: john", 'expected a value after "name:" at position 5'],
      ["name:", 'expected a value after "name:" at position 5'],
      ["name:)", 'expected a value after "name:" at position 5'],
      ['""', "empty search term at position 0"],
      ["a ]", 'unexpected "]" at position 2'],
      ["name:a\u0000b", "invalid character U+0000 at position 6"],
      ['app_metadata.x:"\ud800"', "invalid character U+D800 at position 16"],
    ])("%j → %s", (query, message) => {
      expect(failure(query).message).toBe(message);
    });
  });

  describe("ranges", () => {
    it.each([
      ["created_at:[2025-01-01 2025-12-31]", 'expected "TO" in the range but found "2025-12-31" at position 23'],
      ["created_at:[2025-01-01 TO 2025-12-31", "unterminated range starting at position 11"],
      ["created_at:[2025-01-01 TO", "unterminated range starting at position 11"],
      ["created_at:[TO 2025-01-01]", 'expected a lower bound but found "TO" at position 12'],
      ["created_at:[2025-01-01 TO ]", 'expected an upper bound after "TO" but found "]" at position 26'],
      ["logins_count:[1 TO 5 x]", 'expected "]" or "}" to close the range but found "x" at position 21'],
      ["logins_count:[1* TO 5]", "a range bound cannot be a prefix at position 14"],
      ["name:[a TO b]", "ranges are not supported for name at position 0"],
      ["app_metadata.age:[1 TO 5]", "ranges are not supported for app_metadata at position 0"],
    ])("%j → %s", (query, message) => {
      expect(failure(query).message).toBe(message);
    });
  });

  describe("fields and values", () => {
    it.each([
      ["foo:bar", 'unknown field "foo" at position 0'],
      ["name:x Email:y", 'unknown field "Email" at position 7'],
      ["identities.provider:x", 'unknown field "identities.provider" at position 0'],
      ["password_hash:x", 'unknown field "password_hash" at position 0'],
      ["app_metadata:pro", "app_metadata needs a key path such as app_metadata.plan at position 0"],
      ["app_metadata..plan:x", 'invalid key path "app_metadata..plan" at position 0'],
      ["user_metadata.city.:x", 'invalid key path "user_metadata.city." at position 0'],
      ["created_at:2025-13-01", 'invalid date "2025-13-01" for created_at at position 11'],
      ["created_at:2025-02-30", 'invalid date "2025-02-30" for created_at at position 11'],
      ["x last_login:[2025-01-01 TO 2025-01-32]", 'invalid date "2025-01-32" for last_login at position 28'],
      ["updated_at:2025-01-01T24:00Z", 'invalid date "2025-01-01T24:00Z" for updated_at at position 11'],
      ["created_at:yesterday", 'invalid date "yesterday" for created_at at position 11'],
      ["created_at:2025*", "prefix search is not supported for created_at at position 11"],
      ["logins_count:ten", 'invalid number "ten" for logins_count at position 13'],
      ["logins_count:1.5", 'invalid number "1.5" for logins_count at position 13'],
      ["logins_count:99999999999", 'invalid number "99999999999" for logins_count at position 13'],
      ["logins_count:>=x", 'invalid number "x" for logins_count at position 15'],
      ["email_verified:yes", 'invalid boolean "yes" for email_verified (expected true or false) at position 15'],
      ["email_verified:1", 'invalid boolean "1" for email_verified (expected true or false) at position 15'],
      ["blocked:tru*", "prefix search is not supported for blocked at position 8"],
      ["status:deleted", 'invalid status "deleted" (expected active, invited, suspended or inactive) at position 7'],
      ["status:act*", "prefix search is not supported for status at position 7"],
    ])("%j → %s", (query, message) => {
      expect(failure(query).message).toBe(message);
    });
  });

  describe("limits", () => {
    it(`refuses a query longer than ${maxQueryLength} characters`, () => {
      expect(() => compileUserSearch("a".repeat(maxQueryLength))).not.toThrow();
      expect(failure("a".repeat(maxQueryLength + 1))).toEqual({
        message: `query is too long (${maxQueryLength + 1} characters, at most ${maxQueryLength}) at position ${maxQueryLength}`,
        position: maxQueryLength,
      });
    });

    it(`refuses parentheses nested deeper than ${maxNestingDepth} levels, at the first one too many`, () => {
      const nested = (depth: number) => `${"(".repeat(depth)}a${")".repeat(depth)}`;
      expect(() => compileUserSearch(nested(maxNestingDepth))).not.toThrow();
      expect(failure(nested(maxNestingDepth + 1))).toEqual({
        message: `nesting deeper than ${maxNestingDepth} levels at position ${maxNestingDepth}`,
        position: maxNestingDepth,
      });
    });

    it("counts NOT as a level of nesting", () => {
      expect(() => compileUserSearch(`${"NOT ".repeat(maxNestingDepth)}a`)).not.toThrow();
      expect(failure(`${"-".repeat(maxNestingDepth + 1)}a`).position).toBe(maxNestingDepth);
      expect(failure(`(((${"NOT ".repeat(maxNestingDepth)}a)))`).position).toBe(3 + 4 * (maxNestingDepth - 3));
    });
  });
});
