// Turns a parsed query into a boolean SQL expression over "User". Column names come only from
// the whitelist in fields.ts; every value from the query is a bind parameter. The expressions
// are the ones the `user_search_indexes` migration indexes:
//   lower("name") = / LIKE …            ("realmId", lower(column) text_pattern_ops)
//   "email" = … / LIKE …                 ("realmId", email) unique, ("realmId", email text_pattern_ops)
//   "appMetadata" @@ '$."plan" == "pro"' GIN jsonb_path_ops
//   <searchTextExpression> LIKE '%…%'    GIN gin_trgm_ops
import { Prisma } from "../../generated/prisma/client.js";
import type { SearchField, SearchNode, TermMatch, TermNode } from "./ast.js";
import { SearchSyntaxError } from "./errors.js";
import { bareTermColumns, searchTextExpression, type FieldSpec } from "./fields.js";
import { escapeLike, readBoolean, readInstant, readInteger, sqlTimestamp } from "./values.js";

export type CompileOptions = {
  /** The name or alias of the "User" table in the surrounding query; defaults to "User". */
  table?: string;
};

type ValueMatch = Extract<TermMatch, { kind: "exact" | "prefix" }>;

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

const statusNames: Record<string, string> = {
  active: "active",
  invited: "invited",
  pending: "invited",
  suspended: "suspended",
  blocked: "suspended",
  inactive: "inactive",
};

export function compileSearchNode(node: SearchNode, options: CompileOptions = {}): Prisma.Sql {
  const table = options.table ?? "User";
  if (!identifier.test(table)) throw new Error(`invalid table alias ${JSON.stringify(table)}`);
  return new Compiler(`"${table}"`).node(node);
}

class Compiler {
  constructor(private readonly table: string) {}

  node(node: SearchNode): Prisma.Sql {
    switch (node.type) {
      case "all":
        return Prisma.sql`TRUE`;
      case "and":
        return Prisma.join(node.children.map((child) => this.node(child)), " AND ", "(", ")");
      case "or":
        return Prisma.join(node.children.map((child) => this.node(child)), " OR ", "(", ")");
      case "not":
        // IS NOT TRUE, not NOT: a NULL column (no name, never logged in) fails the inner test,
        // so the negation must include it.
        return Prisma.sql`((${this.node(node.child)}) IS NOT TRUE)`;
      case "term":
        return node.field ? this.field(node.field, node.match) : this.bare(node);
    }
  }

  private column(name: string): Prisma.Sql {
    return Prisma.raw(`${this.table}."${name}"`);
  }

  /** A term without a field: a substring of the search text, or a prefix of any of its columns. */
  private bare(node: TermNode): Prisma.Sql {
    const { match } = node;
    if (match.kind === "prefix") {
      return Prisma.join(
        bareTermColumns.map((name) =>
          name === "email"
            ? Prisma.sql`${this.column(name)} LIKE ${startsWith(match.value.toLowerCase())}`
            : Prisma.sql`lower(${this.column(name)}) LIKE lower(${startsWith(match.value)}::text)`,
        ),
        " OR ",
        "(",
        ")",
      );
    }
    if (match.kind !== "exact") throw new SearchSyntaxError("unexpected search term", node.position);
    const text = Prisma.raw(searchTextExpression((name) => `${this.table}."${name}"`));
    return Prisma.sql`(${text} LIKE lower(${`%${escapeLike(match.value)}%`}::text))`;
  }

  private field(field: SearchField, match: TermMatch): Prisma.Sql {
    const { spec } = field;
    const column = this.column(spec.column);
    if (spec.kind === "json") {
      if (match.kind === "range") throw unsupported(spec, match);
      return this.json(field, column, match);
    }
    if (match.kind === "exists") return Prisma.sql`${column} IS NOT NULL`;
    if (spec.kind === "date") return this.date(spec, column, match);
    if (spec.kind === "integer") return this.integer(spec, column, match);
    if (match.kind === "range") throw unsupported(spec, match);
    switch (spec.kind) {
      case "text":
        return match.kind === "exact"
          ? Prisma.sql`lower(${column}) = lower(${match.value}::text)`
          : Prisma.sql`lower(${column}) LIKE lower(${startsWith(match.value)}::text)`;
      case "email":
        return match.kind === "exact"
          ? Prisma.sql`${column} = ${match.value.toLowerCase()}`
          : Prisma.sql`${column} LIKE ${startsWith(match.value.toLowerCase())}`;
      case "emailDomain": {
        const domain = escapeLike(match.value.toLowerCase());
        return Prisma.sql`${column} LIKE ${`%@${domain}${match.kind === "prefix" ? "%" : ""}`}`;
      }
      case "phone":
        return match.kind === "exact"
          ? Prisma.sql`${column} = ${match.value}`
          : Prisma.sql`${column} LIKE ${startsWith(match.value)}`;
      case "userId":
        return this.userId(match);
      case "connection":
        return this.connection(match);
      case "boolean":
        return Prisma.sql`${column} = ${this.boolean(spec, match)}::boolean`;
      case "blocked":
        return this.boolean(spec, match)
          ? Prisma.sql`${column} = 'suspended'::"UserStatus"`
          : Prisma.sql`${column} <> 'suspended'::"UserStatus"`;
      case "status": {
        const value = this.exactValue(spec, match);
        const status = Object.hasOwn(statusNames, value.toLowerCase()) ? statusNames[value.toLowerCase()] : undefined;
        if (!status) {
          throw new SearchSyntaxError(
            `invalid status ${JSON.stringify(value)} (expected active, invited, suspended or inactive)`,
            match.position,
          );
        }
        return Prisma.sql`${column} = ${status}::"UserStatus"`;
      }
    }
  }

  private userId(match: ValueMatch): Prisma.Sql {
    const { value } = match;
    const bar = value.indexOf("|");
    const id = bar < 0 ? value : value.slice(bar + 1);
    const idTest =
      match.kind === "prefix"
        ? Prisma.sql`${this.column("id")} LIKE ${startsWith(id)}`
        : Prisma.sql`${this.column("id")} = ${id}`;
    if (bar < 0) return idTest;
    return Prisma.sql`(${this.column("connection")} = ${value.slice(0, bar)} AND ${idTest})`;
  }

  /** The user's own connection, or that of any identity linked to it. */
  private connection(match: ValueMatch): Prisma.Sql {
    const test = (column: Prisma.Sql) =>
      match.kind === "prefix" ? Prisma.sql`${column} LIKE ${startsWith(match.value)}` : Prisma.sql`${column} = ${match.value}`;
    return Prisma.sql`(${test(this.column("connection"))} OR EXISTS (SELECT 1 FROM "Identity" AS "searchIdentity" WHERE "searchIdentity"."userId" = ${this.column("id")} AND ${test(Prisma.raw(`"searchIdentity"."connection"`))}))`;
  }

  private date(spec: FieldSpec, column: Prisma.Sql, match: TermMatch): Prisma.Sql {
    const at = (instant: Date) => Prisma.sql`${sqlTimestamp(instant)}::timestamp`;
    if (match.kind === "exact") {
      const { start, end } = readInstant(match.value, spec.name, match.position);
      return Prisma.sql`(${column} >= ${at(start)} AND ${column} < ${at(end)})`;
    }
    if (match.kind !== "range") throw unsupported(spec, match);
    const tests: Prisma.Sql[] = [];
    if (match.lower) {
      const { start, end } = readInstant(match.lower.value, spec.name, match.lower.position);
      tests.push(Prisma.sql`${column} >= ${at(match.lower.inclusive ? start : end)}`);
    }
    if (match.upper) {
      const { start, end } = readInstant(match.upper.value, spec.name, match.upper.position);
      tests.push(Prisma.sql`${column} < ${at(match.upper.inclusive ? end : start)}`);
    }
    return tests.length ? Prisma.join(tests, " AND ", "(", ")") : Prisma.sql`${column} IS NOT NULL`;
  }

  private integer(spec: FieldSpec, column: Prisma.Sql, match: TermMatch): Prisma.Sql {
    const read = (value: string, position: number) => readInteger(value, spec.name, position);
    if (match.kind === "exact") return Prisma.sql`${column} = ${read(match.value, match.position)}::integer`;
    if (match.kind !== "range") throw unsupported(spec, match);
    const tests: Prisma.Sql[] = [];
    if (match.lower) {
      const value = read(match.lower.value, match.lower.position);
      tests.push(match.lower.inclusive ? Prisma.sql`${column} >= ${value}::integer` : Prisma.sql`${column} > ${value}::integer`);
    }
    if (match.upper) {
      const value = read(match.upper.value, match.upper.position);
      tests.push(match.upper.inclusive ? Prisma.sql`${column} <= ${value}::integer` : Prisma.sql`${column} < ${value}::integer`);
    }
    return tests.length ? Prisma.join(tests, " AND ", "(", ")") : Prisma.sql`${column} IS NOT NULL`;
  }

  /**
   * JSON paths compile to SQL/JSON path predicates, which the GIN jsonb_path_ops index serves
   * for equality: `"appMetadata" @@ '$."plan" == "pro"'`. Lax mode looks inside arrays at every
   * step, so `app_metadata.roles:editor` finds ["editor"] and `…address.city` finds a list of
   * addresses. A quoted value is a string; an unquoted one that reads as a JSON number, boolean
   * or null also matches that value. Values compare case-sensitively. The path text is a bind
   * parameter whose keys and strings are JSON-quoted, so the query cannot change its shape.
   */
  private json(field: SearchField, column: Prisma.Sql, match: ValueMatch | Extract<TermMatch, { kind: "exists" }>): Prisma.Sql {
    const path = `$${field.path.map((key) => `.${JSON.stringify(key)}`).join("")}`;
    if (match.kind === "exists") return Prisma.sql`${column} @? ${path}::jsonpath`;
    const literal = JSON.stringify(match.value);
    if (match.kind === "prefix") return Prisma.sql`${column} @@ ${`${path} starts with ${literal}`}::jsonpath`;
    const literals = [literal];
    if (!match.quoted && /^(?:true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?)$/.test(match.value)) {
      literals.unshift(match.value);
    }
    const predicate = literals.map((value) => `${path} == ${value}`).join(" || ");
    return Prisma.sql`${column} @@ ${predicate}::jsonpath`;
  }

  private boolean(spec: FieldSpec, match: TermMatch): boolean {
    return readBoolean(this.exactValue(spec, match), spec.name, match.position);
  }

  private exactValue(spec: FieldSpec, match: TermMatch): string {
    if (match.kind === "exact") return match.value;
    throw unsupported(spec, match);
  }
}

/** The LIKE pattern of the values that start with `value`. */
function startsWith(value: string): string {
  return `${escapeLike(value)}%`;
}

function unsupported(spec: FieldSpec, match: TermMatch): SearchSyntaxError {
  const what = match.kind === "prefix" ? "prefix search is" : match.kind === "range" ? "ranges are" : `${match.kind} is`;
  return new SearchSyntaxError(`${what} not supported for ${spec.name}`, match.position);
}
