// The SQL a query compiles to: fixed column names from the whitelist, every query value a bind
// parameter, and exactly the expressions the user_search_indexes migration indexes.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bareTermColumns, searchTextExpression } from "./fields.js";
import { compileUserSearch } from "./index.js";

const migration = readFileSync(
  new URL("../../../prisma/migrations/20261123010000_user_search_indexes/migration.sql", import.meta.url),
  "utf8",
);

describe("compiled user search SQL", () => {
  it.each([
    ['email:"John@Example.com"', '"User"."email" = $1', ["john@example.com"]],
    ["email:Jo*", '"User"."email" LIKE $1', ["jo%"]],
    ["name:Jo*", 'lower("User"."name") LIKE lower($1::text)', ["Jo%"]],
    ['name:"Jo Doe"', 'lower("User"."name") = lower($1::text)', ["Jo Doe"]],
    ["given_name:100%_\\\\*", 'lower("User"."givenName") LIKE lower($1::text)', ["100\\%\\_\\\\%"]],
    ["email_verified:TRUE", '"User"."emailVerified" = $1::boolean', [true]],
    ["status:pending", '"User"."status" = $1::"UserStatus"', ["invited"]],
    ["blocked:false", `"User"."status" <> 'suspended'::"UserStatus"`, []],
    ["logins_count:{1 TO 10]", '("User"."loginsCount" > $1::integer AND "User"."loginsCount" <= $2::integer)', [1, 10]],
    [
      "created_at:2025-03-01",
      '("User"."createdAt" >= $1::timestamp AND "User"."createdAt" < $2::timestamp)',
      ["2025-03-01 00:00:00.000", "2025-03-02 00:00:00.000"],
    ],
    [
      "last_login:[2025-03-01T10:00+02:00 TO 2025-03-31]",
      '("User"."lastLoginAt" >= $1::timestamp AND "User"."lastLoginAt" < $2::timestamp)',
      ["2025-03-01 08:00:00.000", "2025-04-01 00:00:00.000"],
    ],
    [
      "created_at:{2025-03-01 TO 2025-03-31T12:30:15.5Z}",
      '("User"."createdAt" >= $1::timestamp AND "User"."createdAt" < $2::timestamp)',
      ["2025-03-02 00:00:00.000", "2025-03-31 12:30:15.500"],
    ],
    ["user_id:usr_01abc", '"User"."id" = $1', ["usr_01abc"]],
    ['user_id:"usergate|usr_01abc"', '("User"."connection" = $1 AND "User"."id" = $2)', ["usergate", "usr_01abc"]],
    ['app_metadata.plan:"pro"', '"User"."appMetadata" @@ $1::jsonpath', ['$."plan" == "pro"']],
    ["user_metadata.address.city:Paris", '"User"."userMetadata" @@ $1::jsonpath', ['$."address"."city" == "Paris"']],
    ["app_metadata.seats:30", '"User"."appMetadata" @@ $1::jsonpath', ['$."seats" == 30 || $."seats" == "30"']],
    ["app_metadata.beta:true", '"User"."appMetadata" @@ $1::jsonpath', ['$."beta" == true || $."beta" == "true"']],
    [
      "custom_attributes.seats:12345678901234567890",
      '"User"."customAttributes" @@ $1::jsonpath',
      ['$."seats" == 12345678901234567890 || $."seats" == "12345678901234567890"'],
    ],
    ['custom_attributes.note:"say \\"hi\\" \\\\ $.x"', '"User"."customAttributes" @@ $1::jsonpath', ['$."note" == "say \\"hi\\" \\\\ $.x"']],
    ["app_metadata.plan:pr*", '"User"."appMetadata" @@ $1::jsonpath', ['$."plan" starts with "pr"']],
    ["user_metadata.address.city:*", '"User"."userMetadata" @? $1::jsonpath', ['$."address"."city"']],
    ["last_login:*", '"User"."lastLoginAt" IS NOT NULL', []],
    ["NOT name:x", '((lower("User"."name") = lower($1::text)) IS NOT TRUE)', ["x"]],
  ] as const)("%s → %s", (query, text, values) => {
    const sql = compileUserSearch(query);
    expect(sql.text).toBe(text);
    expect(sql.values).toEqual(values);
  });

  it("searches the text of all name columns for a bare term, and their prefixes for a bare prefix", () => {
    const text = searchTextExpression((column) => `"User"."${column}"`);
    expect(compileUserSearch("Martin").text).toBe(`(${text} LIKE lower($1::text))`);
    expect(compileUserSearch("Martin").values).toEqual(["%Martin%"]);
    const prefix = compileUserSearch("Mar*");
    expect(prefix.text).toContain('lower("User"."familyName") LIKE lower($3::text)');
    expect(prefix.text).toContain('"User"."email" LIKE $6');
    expect(prefix.values).toEqual(["Mar%", "Mar%", "Mar%", "Mar%", "Mar%", "mar%"]);
  });

  it("qualifies columns with the table alias the caller names", () => {
    expect(compileUserSearch("name:x", { table: "u" }).text).toBe('lower("u"."name") = lower($1::text)');
    expect(() => compileUserSearch("name:x", { table: 'u"; DROP' })).toThrow(/invalid table alias/);
  });

  it("never puts text from the query into the SQL", () => {
    const hostile = [`x'); DROP TABLE "User"; --`, `"a"."b"`, "$$ SELECT pg_sleep(9) $$", "' OR 1=1 --"];
    for (const value of hostile) {
      const quoted = JSON.stringify(value);
      for (const query of [
        `name:${quoted}`,
        quoted,
        `email:${quoted}`,
        `app_metadata.plan:${quoted}`,
        `user_id:${quoted}`,
        `identities.connection:${quoted}`,
        `phone_number:${quoted}`,
      ]) {
        const sql = compileUserSearch(query);
        expect(sql.text).not.toContain(value);
        expect(sql.values.length).toBeGreaterThan(0);
      }
    }
  });

  describe("the search indexes migration", () => {
    it("indexes the exact search-text expression bare terms are matched against", () => {
      expect(migration).toContain(`(${searchTextExpression((column) => `"${column}"`)}) gin_trgm_ops`);
    });

    it("indexes lower(column) with pattern ops, after realmId, for every name column", () => {
      for (const column of bareTermColumns.filter((name) => name !== "email")) {
        expect(migration).toContain(`("realmId", lower("${column}") text_pattern_ops)`);
      }
      expect(migration).toContain(`("realmId", "email" text_pattern_ops)`);
    });

    it("indexes the JSON documents for containment", () => {
      for (const column of ["appMetadata", "userMetadata", "customAttributes"]) {
        expect(migration).toContain(`USING GIN ("${column}" jsonb_path_ops)`);
      }
    });
  });
});
