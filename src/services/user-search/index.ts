// User search: a query in the Auth0/Lucene `q` style compiled to a parameterised SQL condition
// over "User". Run it beside the realm filter:
//   prisma.$queryRaw`SELECT id FROM "User" WHERE "realmId" = ${realmId} AND ${compileUserSearch(q)}`
// A malformed query throws SearchSyntaxError, whose `position` says where it broke.
//
//   field:value   field:"a \"phrase\""   field:pre*   field:*  (has a value)   bare words / "phrases"
//   a AND b   a b (= AND)   a OR b   NOT a   -a   ( … )   field:(a OR b*)
//   created_at:[2025-01-01 TO 2025-12-31]   {…} exclusive, * open, also field:>=x field:<x
//   app_metadata.plan:pro   user_metadata.address.city:"Paris"   custom_attributes.dept:*
//
// Precedence NOT > AND > OR. Text fields compare case-insensitively (exact = whole value), JSON
// values case-sensitively. Bare terms match a substring of name, given/family name, nickname,
// username or email; a bare prefix matches the start of any of them. The parser, the field
// whitelist and the SQL each live in their own module (parser.ts, fields.ts, compile.ts).
import type { Prisma } from "../../generated/prisma/client.js";
import { compileSearchNode, type CompileOptions } from "./compile.js";
import { parseUserSearch } from "./parser.js";

export type { SearchNode, TermNode, TermMatch, RangeBound, SearchField } from "./ast.js";
export { formatSearch } from "./ast.js";
export { SearchSyntaxError, maxNestingDepth, maxQueryLength } from "./errors.js";
export { parseUserSearch } from "./parser.js";
export { compileSearchNode, type CompileOptions } from "./compile.js";

export function compileUserSearch(query: string, options?: CompileOptions): Prisma.Sql {
  return compileSearchNode(parseUserSearch(query), options);
}
