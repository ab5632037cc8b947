// Recursive-descent parser for the `q` search syntax. Precedence, loosest first:
//
//   query   := or EOF                      (empty query: every user)
//   or      := and ("OR" and)*
//   and     := not (["AND"] not)*          (adjacent clauses are ANDed)
//   not     := ("NOT" | "-") not | primary
//   primary := "(" or ")" | field value | TERM | PHRASE
//   value   := TERM | PHRASE | "(" or ")" | range     (a group applies the field to its bare terms)
//   range   := ("[" | "{") bound "TO" bound ("]" | "}")     bound := TERM | PHRASE | "*"
//
// Field names are resolved against the whitelist here, so an unknown field fails at its position.
import type { RangeBound, SearchField, SearchNode, TermMatch } from "./ast.js";
import { maxNestingDepth, maxQueryLength, SearchSyntaxError } from "./errors.js";
import { isRangeField, resolveField } from "./fields.js";
import { describeToken, Lexer, type Token } from "./lexer.js";

export function parseUserSearch(query: string): SearchNode {
  if (query.length > maxQueryLength) {
    throw new SearchSyntaxError(`query is too long (${query.length} characters, at most ${maxQueryLength})`, maxQueryLength);
  }
  const invalid = invalidCharacter(query);
  if (invalid >= 0) {
    const code = query.charCodeAt(invalid).toString(16).toUpperCase().padStart(4, "0");
    throw new SearchSyntaxError(`invalid character U+${code}`, invalid);
  }
  return new Parser(query).parse();
}

/** NUL and unpaired surrogates: PostgreSQL text and JSON cannot hold them. */
function invalidCharacter(query: string): number {
  for (let index = 0; index < query.length; index++) {
    const code = query.charCodeAt(index);
    if (code === 0) return index;
    if (code >= 0xd800 && code <= 0xdbff) {
      const next = query.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) index++;
      else return index;
    } else if (code >= 0xdc00 && code <= 0xdfff) return index;
  }
  return -1;
}

type TermToken = Extract<Token, { kind: "term" }>;
type PhraseToken = Extract<Token, { kind: "phrase" }>;

class Parser {
  private readonly lexer: Lexer;
  /** The last token consumed, to say what an unexpected end of query followed. */
  private previous: Token | null = null;

  constructor(query: string) {
    this.lexer = new Lexer(query);
  }

  parse(): SearchNode {
    if (this.lexer.peek().kind === "eof") return { type: "all" };
    const node = this.or(0, null);
    const rest = this.lexer.peek();
    if (rest.kind !== "eof") throw this.unexpected(rest);
    return node;
  }

  private next(): Token {
    this.previous = this.lexer.next();
    return this.previous;
  }

  private or(depth: number, field: SearchField | null): SearchNode {
    const children = [this.and(depth, field)];
    while (this.lexer.peek().kind === "or") {
      this.next();
      children.push(this.and(depth, field));
    }
    return children.length === 1 ? children[0]! : { type: "or", children };
  }

  private and(depth: number, field: SearchField | null): SearchNode {
    const children = [this.not(depth, field)];
    for (;;) {
      const kind = this.lexer.peek().kind;
      if (kind === "and") this.next();
      else if (!startsClause(kind)) break;
      children.push(this.not(depth, field));
    }
    return children.length === 1 ? children[0]! : { type: "and", children };
  }

  private not(depth: number, field: SearchField | null): SearchNode {
    const token = this.lexer.peek();
    if (token.kind !== "not") return this.primary(depth, field);
    this.next();
    this.checkDepth(depth + 1, token);
    return { type: "not", child: this.not(depth + 1, field) };
  }

  private primary(depth: number, field: SearchField | null): SearchNode {
    const token = this.lexer.peek();
    if (!startsClause(token.kind) || token.kind === "not") throw this.unexpected(token);
    this.next();
    switch (token.kind) {
      case "(":
        return this.group(depth, field, token);
      case "field": {
        const resolved = resolveField(token.name, token.position);
        return this.value(depth, { ...resolved, position: token.position }, token);
      }
      case "term":
        if (!field && token.wildcard && token.value === "") return { type: "all" };
        return { type: "term", field, match: this.termMatch(token, field), position: token.position };
      case "phrase":
        if (!field && token.value === "") throw new SearchSyntaxError("empty search term", token.position);
        return { type: "term", field, match: exact(token), position: token.position };
      default:
        throw this.unexpected(token);
    }
  }

  private group(depth: number, field: SearchField | null, open: Token): SearchNode {
    this.checkDepth(depth + 1, open);
    const node = this.or(depth + 1, field);
    const close = this.lexer.peek();
    if (close.kind === "eof") throw new SearchSyntaxError('missing ")" to close the "("', open.position);
    if (close.kind !== ")") throw this.unexpected(close);
    this.next();
    return node;
  }

  /** What follows `field:`. */
  private value(depth: number, field: SearchField, fieldToken: Extract<Token, { kind: "field" }>): SearchNode {
    const token = this.lexer.peek();
    if (token.position !== fieldToken.end || !["term", "phrase", "(", "[", "{"].includes(token.kind)) {
      throw new SearchSyntaxError(`expected a value after ${JSON.stringify(fieldToken.text)}`, fieldToken.end);
    }
    this.next();
    const position = field.position;
    switch (token.kind) {
      case "(":
        return this.group(depth, field, token);
      case "[":
      case "{":
        if (!isRangeField(field.spec)) throw notSupported("ranges", field);
        return { type: "term", field, match: this.range(token), position };
      case "phrase":
        return { type: "term", field, match: exact(token), position };
      default:
        return { type: "term", field, match: this.termMatch(token as TermToken, field), position };
    }
  }

  private termMatch(token: TermToken, field: SearchField | null): TermMatch {
    if (token.wildcard) {
      return token.value === ""
        ? { kind: "exists", position: token.position }
        : { kind: "prefix", value: token.value, position: token.position };
    }
    // `logins_count:>=10` and `created_at:<2025-01-01`, for the fields that take ranges.
    const comparison = field && isRangeField(field.spec) ? /^(>=|<=|>|<)(.+)$/.exec(token.value) : null;
    if (comparison) {
      const [, operator, value] = comparison as unknown as [string, string, string];
      const bound = { value, inclusive: operator.length === 2, position: token.position + operator.length };
      return operator.startsWith(">")
        ? { kind: "range", lower: bound, upper: null, position: token.position }
        : { kind: "range", lower: null, upper: bound, position: token.position };
    }
    return exact(token);
  }

  private range(open: Token): TermMatch {
    const lower = this.bound(open, open.kind === "[");
    const to = this.next();
    if (to.kind !== "to") {
      if (to.kind === "eof") throw unterminatedRange(open);
      throw new SearchSyntaxError(`expected "TO" in the range but found ${describeToken(to)}`, to.position);
    }
    const upperToken = this.lexer.peek();
    if (upperToken.kind !== "term" && upperToken.kind !== "phrase") {
      if (upperToken.kind === "eof") throw unterminatedRange(open);
      throw new SearchSyntaxError(`expected an upper bound after "TO" but found ${describeToken(upperToken)}`, upperToken.position);
    }
    this.next();
    const close = this.next();
    if (close.kind !== "]" && close.kind !== "}") {
      if (close.kind === "eof") throw unterminatedRange(open);
      throw new SearchSyntaxError(`expected "]" or "}" to close the range but found ${describeToken(close)}`, close.position);
    }
    return { kind: "range", lower, upper: toBound(upperToken, close.kind === "]"), position: open.position };
  }

  private bound(open: Token, inclusive: boolean): RangeBound | null {
    const token = this.next();
    if (token.kind === "term" || token.kind === "phrase") return toBound(token, inclusive);
    if (token.kind === "eof") throw unterminatedRange(open);
    throw new SearchSyntaxError(`expected a lower bound but found ${describeToken(token)}`, token.position);
  }

  private checkDepth(depth: number, token: Token): void {
    if (depth > maxNestingDepth) {
      throw new SearchSyntaxError(`nesting deeper than ${maxNestingDepth} levels`, token.position);
    }
  }

  private unexpected(token: Token): SearchSyntaxError {
    if (token.kind === "eof") {
      const after = this.previous ? ` after ${describeToken(this.previous)}` : "";
      return new SearchSyntaxError(`unexpected end of query${after}`, token.position);
    }
    return new SearchSyntaxError(`unexpected ${describeToken(token)}`, token.position);
  }
}

function startsClause(kind: Token["kind"]): boolean {
  return kind === "term" || kind === "phrase" || kind === "field" || kind === "(" || kind === "not";
}

function exact(token: TermToken | PhraseToken): TermMatch {
  return { kind: "exact", value: token.value, quoted: token.kind === "phrase", position: token.position };
}

function toBound(token: TermToken | PhraseToken, inclusive: boolean): RangeBound | null {
  if (token.kind === "term" && token.wildcard) {
    if (token.value === "") return null;
    throw new SearchSyntaxError("a range bound cannot be a prefix", token.position);
  }
  return { value: token.value, inclusive, position: token.position };
}

function notSupported(what: string, field: SearchField): SearchSyntaxError {
  return new SearchSyntaxError(`${what} are not supported for ${field.spec.name}`, field.position);
}

function unterminatedRange(open: Token): SearchSyntaxError {
  return new SearchSyntaxError(`unterminated range starting`, open.position);
}
