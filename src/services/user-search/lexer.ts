// Splits a search query into tokens, on demand, so the first error in reading order is the one
// reported. The lexer has three modes, switched only by the tokens it has just produced:
//
// - clause: keywords (AND, OR, NOT, a leading "-"), `field:` names, bare terms and phrases;
// - value:  the single token right after `field:` (colons and "-" are ordinary characters
//           there, so `created_at:2025-01-01T10:00:00Z` and `user_id:usergate|usr_…` read whole);
// - range:  inside `[ … ]` or `{ … }`, where TO is a keyword.
//
// Terms end at whitespace and at ( ) [ ] { } ". A backslash escapes any character. An unescaped
// "*" is allowed only as the last character of a term (prefix search; alone it means "any").
import { SearchSyntaxError } from "./errors.js";

export type Token =
  | { kind: "and" | "or" | "not" | "to"; text: string; position: number }
  | { kind: "(" | ")" | "[" | "]" | "{" | "}"; text: string; position: number }
  | { kind: "field"; text: string; name: string; position: number; end: number }
  | { kind: "term"; text: string; value: string; wildcard: boolean; position: number }
  | { kind: "phrase"; text: string; value: string; position: number }
  | { kind: "eof"; text: ""; position: number };

type Mode = "clause" | "value" | "range";

const punctuation = new Set(["(", ")", "[", "]", "{", "}"]);
const isSpace = (char: string) => /\s/.test(char);
const endsTerm = (char: string | undefined) =>
  char === undefined || isSpace(char) || punctuation.has(char) || char === '"';
const fieldName = /[A-Za-z_][A-Za-z0-9_.-]*:/y;

export class Lexer {
  private offset = 0;
  private mode: Mode = "clause";
  private lookahead: Token | null = null;

  constructor(private readonly source: string) {}

  peek(): Token {
    this.lookahead ??= this.read();
    return this.lookahead;
  }

  next(): Token {
    const token = this.peek();
    this.lookahead = null;
    return token;
  }

  private read(): Token {
    const mode = this.mode;
    if (mode === "value") {
      // A value must follow the colon directly; anything else hands back to clause mode.
      this.mode = "clause";
      const char = this.source[this.offset];
      if (char === undefined || isSpace(char)) return this.read();
      if (char === "[" || char === "{") {
        this.mode = "range";
        return this.punctuation(char);
      }
      if (char === '"') return this.phrase();
      if (punctuation.has(char)) return this.punctuation(char);
      return this.term();
    }

    while (this.offset < this.source.length && isSpace(this.source[this.offset]!)) this.offset++;
    const char = this.source[this.offset];
    if (char === undefined) return { kind: "eof", text: "", position: this.offset };
    if (punctuation.has(char)) {
      if (mode === "range" && (char === "]" || char === "}")) this.mode = "clause";
      return this.punctuation(char);
    }
    if (char === '"') return this.phrase();

    if (mode === "clause") {
      const following = this.source[this.offset + 1];
      if (char === "-" && following !== undefined && !isSpace(following) && following !== ")") {
        return { kind: "not", text: "-", position: this.offset++ };
      }
      fieldName.lastIndex = this.offset;
      const match = fieldName.exec(this.source);
      if (match) {
        const position = this.offset;
        this.offset += match[0].length;
        this.mode = "value";
        return { kind: "field", text: match[0], name: match[0].slice(0, -1), position, end: this.offset };
      }
    }

    const token = this.term();
    if (token.kind === "term" && token.text === token.value && !token.wildcard) {
      if (mode === "clause" && (token.text === "AND" || token.text === "OR" || token.text === "NOT")) {
        return { kind: token.text === "AND" ? "and" : token.text === "OR" ? "or" : "not", text: token.text, position: token.position };
      }
      if (mode === "range" && token.text === "TO") return { kind: "to", text: "TO", position: token.position };
    }
    return token;
  }

  private punctuation(char: string): Token {
    return { kind: char as "(", text: char, position: this.offset++ };
  }

  private term(): Token {
    const position = this.offset;
    let value = "";
    let wildcard = false;
    while (!endsTerm(this.source[this.offset])) {
      const char = this.source[this.offset]!;
      if (char === "\\") {
        const escaped = this.source[this.offset + 1];
        if (escaped === undefined) throw new SearchSyntaxError('dangling escape "\\" at the end of the query', this.offset);
        value += escaped;
        this.offset += 2;
        continue;
      }
      if (char === "*") {
        if (!endsTerm(this.source[this.offset + 1])) {
          throw new SearchSyntaxError('wildcard "*" is only allowed at the end of a term', this.offset);
        }
        wildcard = true;
        this.offset++;
        break;
      }
      value += char;
      this.offset++;
    }
    return { kind: "term", text: this.source.slice(position, this.offset), value, wildcard, position };
  }

  private phrase(): Token {
    const position = this.offset++;
    let value = "";
    for (;;) {
      const char = this.source[this.offset];
      if (char === undefined) throw new SearchSyntaxError("unterminated quoted phrase starting", position);
      this.offset++;
      if (char === '"') break;
      if (char === "\\") {
        const escaped = this.source[this.offset];
        if (escaped === undefined) throw new SearchSyntaxError("unterminated quoted phrase starting", position);
        value += escaped;
        this.offset++;
        continue;
      }
      value += char;
    }
    return { kind: "phrase", text: this.source.slice(position, this.offset), value, position };
  }
}

/** How an error message names a token. */
export function describeToken(token: Token): string {
  return token.kind === "eof" ? "end of query" : JSON.stringify(token.text);
}
