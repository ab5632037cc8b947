// The grammar of user search queries, shown as the tree each query parses to.
// Trees print as (OR …), (AND …), (NOT …) and field:value; bare terms have no field.
import { describe, expect, it } from "vitest";
import { formatSearch, parseUserSearch } from "./index.js";

const tree = (query: string) => formatSearch(parseUserSearch(query));

describe("user search grammar", () => {
  it.each([
    ["name:john", "name:john"],
    ['email:"john@example.com"', 'email:"john@example.com"'],
    ['name:"John \\"JJ\\" Doe"', 'name:"John \\"JJ\\" Doe"'],
    ["name:jo*", "name:jo*"],
    ["name:*", "name:*"],
    ["john", "john"],
    ['"john doe"', '"john doe"'],
    ["jo*", "jo*"],
    ["*", "*"],
    ["", "*"],
    ["   ", "*"],
  ])("reads %j as %s", (query, expected) => {
    expect(tree(query)).toBe(expected);
  });

  describe("boolean operators", () => {
    it.each([
      ["a b", "(AND a b)"],
      ["a AND b", "(AND a b)"],
      ["a OR b", "(OR a b)"],
      ["NOT a", "(NOT a)"],
      ["-a", "(NOT a)"],
      ["-name:x", "(NOT name:x)"],
      ['-"a b"', '(NOT "a b")'],
      ["NOT NOT a", "(NOT (NOT a))"],
    ])("%j → %s", (query, expected) => {
      expect(tree(query)).toBe(expected);
    });

    it("binds NOT tighter than AND, and AND tighter than OR", () => {
      expect(tree("a OR b AND c")).toBe("(OR a (AND b c))");
      expect(tree("a AND b OR c")).toBe("(OR (AND a b) c)");
      expect(tree("NOT a AND b")).toBe("(AND (NOT a) b)");
      expect(tree("NOT a OR b")).toBe("(OR (NOT a) b)");
      expect(tree("a OR NOT b c")).toBe("(OR a (AND (NOT b) c))");
    });

    it("treats adjacent clauses as AND, with the same precedence as an explicit AND", () => {
      expect(tree("a b OR c d")).toBe("(OR (AND a b) (AND c d))");
      expect(tree("name:x status:active")).toBe("(AND name:x status:active)");
    });

    it("lets parentheses override precedence", () => {
      expect(tree("(a OR b) c")).toBe("(AND (OR a b) c)");
      expect(tree("a (b OR (c d))")).toBe("(AND a (OR b (AND c d)))");
      expect(tree("NOT (a OR b)")).toBe("(NOT (OR a b))");
      expect(tree("-(a b)")).toBe("(NOT (AND a b))");
    });

    it("reads lower-case and, or, not as search terms, as Lucene does", () => {
      expect(tree("a and b")).toBe("(AND a and b)");
    });

    it("reads a dash inside a term or a lone dash as text", () => {
      expect(tree("jean-paul")).toBe("jean-paul");
      expect(tree("a - b")).toBe("(AND a - b)");
    });

    it("applies a field to a parenthesised group of bare terms", () => {
      expect(tree('name:(john OR "jane doe" OR ja*)')).toBe('(OR name:john name:"jane doe" name:ja*)');
      expect(tree("name:(john email:x)")).toBe("(AND name:john email:x)");
    });
  });

  describe("values", () => {
    it("keeps colons, dashes and bars inside a field's value", () => {
      expect(tree("created_at:2025-01-01T10:00:00Z")).toBe("created_at:2025-01-01T10:00:00Z");
      expect(tree("user_id:google-oauth2|usr_01abc")).toBe("user_id:google-oauth2|usr_01abc");
      expect(tree("name:-x")).toBe("name:-x");
    });

    it("unescapes a backslash before any character in terms and phrases", () => {
      expect(parseUserSearch("name:a\\ b\\*")).toMatchObject({ match: { kind: "exact", value: "a b*" } });
      expect(parseUserSearch('name:"a\\"b\\\\c"')).toMatchObject({ match: { kind: "exact", value: 'a"b\\c' } });
      expect(parseUserSearch("name\\:x")).toMatchObject({ field: null, match: { value: "name:x" } }); // text, not a field
      expect(tree("\\AND")).toBe("AND");
    });

    it("reads a trailing * as a prefix, and nothing but * as 'has a value'", () => {
      expect(parseUserSearch("name:jo*")).toMatchObject({ match: { kind: "prefix", value: "jo" } });
      expect(parseUserSearch("last_login:*")).toMatchObject({ match: { kind: "exists" } });
      expect(parseUserSearch('name:"jo*"')).toMatchObject({ match: { kind: "exact", value: "jo*" } });
    });

    it("marks quoted values, which JSON paths compare as strings only", () => {
      expect(parseUserSearch('app_metadata.seats:"30"')).toMatchObject({ match: { kind: "exact", quoted: true } });
      expect(parseUserSearch("app_metadata.seats:30")).toMatchObject({ match: { kind: "exact", quoted: false } });
    });
  });

  describe("ranges", () => {
    it.each([
      ["created_at:[2025-01-01 TO 2025-12-31]", "created_at:[2025-01-01 TO 2025-12-31]"],
      ["created_at:{2025-01-01 TO 2025-12-31}", "created_at:{2025-01-01 TO 2025-12-31}"],
      ["logins_count:[5 TO 10}", "logins_count:[5 TO 10}"],
      ["last_login:[2025-01-01 TO *]", "last_login:[2025-01-01 TO *]"],
      ["updated_at:[* TO 2025-01-01}", "updated_at:[* TO 2025-01-01}"],
      ['created_at:["2025-01-01 10:00" TO *]', "created_at:[2025-01-01 10:00 TO *]"],
      ["logins_count:>10", "logins_count:{10 TO *]"],
      ["logins_count:>=10", "logins_count:[10 TO *]"],
      ["created_at:<2025-01-01", "created_at:[* TO 2025-01-01}"],
      ["created_at:<=2025-01-01", "created_at:[* TO 2025-01-01]"],
    ])("%j → %s", (query, expected) => {
      expect(tree(query)).toBe(expected);
    });

    it("keeps the position of each bound for error messages", () => {
      expect(parseUserSearch("logins_count:[5 TO 10]")).toMatchObject({
        match: { kind: "range", lower: { value: "5", inclusive: true, position: 14 }, upper: { value: "10", position: 19 } },
      });
    });
  });

  describe("fields", () => {
    it.each([
      ["given_name:x", "givenName:x", "given_name:x"],
      ["family_name:x", "familyName:x", "family_name:x"],
      ["email_verified:true", "emailVerified:true", "email_verified:true"],
      ["phone_number:1", "phone:1", "phone_number:1"],
      ["user_id:x", "userId:x", "user_id:x"],
      ["created_at:2025-01-01", "createdAt:2025-01-01", "created_at:2025-01-01"],
      ["last_login:*", "lastLogin:*", "last_login:*"],
      ["logins_count:1", "loginsCount:1", "logins_count:1"],
      ["identities.connection:x", "connection:x", "identities.connection:x"],
      ["username:x", "login_id:x", "username:x"],
      ["custom_attributes.a:x", "customAttributes.a:x", "custom_attributes.a:x"],
      ["app_metadata.plan:x", "appMetadata.plan:x", "app_metadata.plan:x"],
    ])("accepts %j and its alias %j", (snake, camel, expected) => {
      expect(tree(snake)).toBe(expected);
      expect(tree(camel)).toBe(expected);
    });

    it("splits dotted paths into JSON documents", () => {
      expect(parseUserSearch("user_metadata.address.city:Paris")).toMatchObject({
        field: { spec: { name: "user_metadata", column: "userMetadata" }, path: ["address", "city"] },
        match: { kind: "exact", value: "Paris" },
      });
      expect(tree("app_metadata.feature-flags.new_ui:true")).toBe("app_metadata.feature-flags.new_ui:true");
    });
  });
});
