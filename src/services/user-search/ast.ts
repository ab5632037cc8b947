// The parsed form of a search query, and a compact printer that tests and logs read.
import type { FieldSpec } from "./fields.js";

export type SearchNode =
  | { type: "all" }
  | { type: "and"; children: SearchNode[] }
  | { type: "or"; children: SearchNode[] }
  | { type: "not"; child: SearchNode }
  | TermNode;

export type TermNode = {
  type: "term";
  /** null for a bare term, which searches the name and email columns. */
  field: SearchField | null;
  match: TermMatch;
  position: number;
};

export type SearchField = {
  spec: FieldSpec;
  /** Key path inside a JSON field: `app_metadata.address.city` → ["address", "city"]. */
  path: string[];
  position: number;
};

export type TermMatch =
  /** `quoted` tells `plan:"30"` (a string) from `plan:30` (a number or a string) for JSON fields. */
  | { kind: "exact"; value: string; quoted: boolean; position: number }
  | { kind: "prefix"; value: string; position: number }
  | { kind: "exists"; position: number }
  | { kind: "range"; lower: RangeBound | null; upper: RangeBound | null; position: number };

export type RangeBound = { value: string; inclusive: boolean; position: number };

/** `(OR (AND name:"jo"* email:x@y.z) (NOT status:active))`, with exact values as JSON strings. */
export function formatSearch(node: SearchNode): string {
  switch (node.type) {
    case "all":
      return "*";
    case "and":
    case "or":
      return `(${node.type.toUpperCase()} ${node.children.map(formatSearch).join(" ")})`;
    case "not":
      return `(NOT ${formatSearch(node.child)})`;
    case "term": {
      const field = node.field ? `${[node.field.spec.name, ...node.field.path].join(".")}:` : "";
      return field + formatMatch(node.match);
    }
  }
}

function formatMatch(match: TermMatch): string {
  switch (match.kind) {
    case "exact":
      return match.quoted ? JSON.stringify(match.value) : match.value;
    case "prefix":
      return `${match.value}*`;
    case "exists":
      return "*";
    case "range": {
      const lower = match.lower ? match.lower.value : "*";
      const upper = match.upper ? match.upper.value : "*";
      const open = match.lower && !match.lower.inclusive ? "{" : "[";
      const close = match.upper && !match.upper.inclusive ? "}" : "]";
      return `${open}${lower} TO ${upper}${close}`;
    }
  }
}
