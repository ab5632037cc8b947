// The fixed whitelist of searchable fields: query names (Auth0 snake_case and our camelCase)
// mapped to columns of "User". Nothing outside this table can reach the SQL text.
import { SearchSyntaxError } from "./errors.js";

export type FieldKind =
  | "text" // case-insensitive: lower(column)
  | "email" // stored lower-cased: the value is lower-cased instead
  | "emailDomain"
  | "phone" // compared as written
  | "boolean"
  | "blocked"
  | "status"
  | "date"
  | "integer"
  | "userId"
  | "connection"
  | "json";

export type FieldSpec = {
  /** The name errors and printed queries use (Auth0 spelling). */
  name: string;
  kind: FieldKind;
  column: string;
};

const specs: Array<FieldSpec & { aliases: string[] }> = [
  { name: "email", kind: "email", column: "email", aliases: [] },
  { name: "email.domain", kind: "emailDomain", column: "email", aliases: [] },
  { name: "email_verified", kind: "boolean", column: "emailVerified", aliases: ["emailVerified"] },
  { name: "phone_number", kind: "phone", column: "phone", aliases: ["phone", "phoneNumber"] },
  { name: "phone_verified", kind: "boolean", column: "phoneVerified", aliases: ["phoneVerified"] },
  { name: "name", kind: "text", column: "name", aliases: [] },
  { name: "given_name", kind: "text", column: "givenName", aliases: ["givenName"] },
  { name: "family_name", kind: "text", column: "familyName", aliases: ["familyName"] },
  { name: "nickname", kind: "text", column: "nickname", aliases: [] },
  { name: "username", kind: "text", column: "username", aliases: ["login_id", "loginId"] },
  { name: "user_id", kind: "userId", column: "id", aliases: ["userId"] },
  { name: "status", kind: "status", column: "status", aliases: [] },
  { name: "blocked", kind: "blocked", column: "status", aliases: [] },
  { name: "created_at", kind: "date", column: "createdAt", aliases: ["createdAt"] },
  { name: "updated_at", kind: "date", column: "updatedAt", aliases: ["updatedAt"] },
  { name: "last_login", kind: "date", column: "lastLoginAt", aliases: ["lastLogin", "lastLoginAt"] },
  { name: "logins_count", kind: "integer", column: "loginsCount", aliases: ["loginsCount"] },
  { name: "identities.connection", kind: "connection", column: "connection", aliases: ["connection"] },
  { name: "app_metadata", kind: "json", column: "appMetadata", aliases: ["appMetadata"] },
  { name: "user_metadata", kind: "json", column: "userMetadata", aliases: ["userMetadata"] },
  { name: "custom_attributes", kind: "json", column: "customAttributes", aliases: ["customAttributes"] },
];

const byName = new Map<string, FieldSpec>();
for (const { aliases, ...spec } of specs) {
  for (const name of [spec.name, ...aliases]) byName.set(name, spec);
}

export type ResolvedField = { spec: FieldSpec; path: string[] };

export const maxPathDepth = 10;
const pathKey = /^[A-Za-z0-9_-]+$/;

/** The field a query names, with its key path for the JSON fields; throws for anything else. */
export function resolveField(name: string, position: number): ResolvedField {
  const direct = byName.get(name);
  if (direct) {
    if (direct.kind === "json") {
      throw new SearchSyntaxError(`${direct.name} needs a key path such as ${direct.name}.plan`, position);
    }
    return { spec: direct, path: [] };
  }
  const dot = name.indexOf(".");
  const head = dot < 0 ? undefined : byName.get(name.slice(0, dot));
  if (!head || head.kind !== "json") throw new SearchSyntaxError(`unknown field ${JSON.stringify(name)}`, position);
  const path = name.slice(dot + 1).split(".");
  if (!path.every((key) => pathKey.test(key))) {
    throw new SearchSyntaxError(`invalid key path ${JSON.stringify(name)}`, position);
  }
  if (path.length > maxPathDepth) {
    throw new SearchSyntaxError(`key path ${JSON.stringify(name)} is deeper than ${maxPathDepth} keys`, position);
  }
  return { spec: head, path };
}

export function isRangeField(spec: FieldSpec): boolean {
  return spec.kind === "date" || spec.kind === "integer";
}

/** The columns a bare term (no field) searches, in the order of the search-text expression. */
export const bareTermColumns = ["name", "givenName", "familyName", "nickname", "username", "email"] as const;

/**
 * The expression a bare term is matched against, substring-wise. The trigram index of the
 * `user_search_indexes` migration indexes exactly this expression (with `column` unqualified):
 * keep the two identical or the index stops applying.
 */
export function searchTextExpression(column: (name: string) => string): string {
  return `lower(${bareTermColumns.map((name) => `coalesce(${column(name)}, '')`).join(" || ' ' || ")})`;
}
