// Request bodies checked against each route's zod schema, the contract of the route. Anything
// wrong with the body — not JSON, not an object, a wrong type, an unknown or missing field, a
// malformed id — is 400 invalid_body naming the field, as Auth0's "Payload validation error".
import type { Context } from "hono";
import { z } from "zod";
import { bodyProblemMessages, readJsonObject } from "../json-object-body.js";
import { v2Error } from "./errors.js";

type Issue = z.core.$ZodIssue;

const invalidBody = (c: Context, detail: string) => v2Error(c, 400, `Payload validation error: ${detail}`, "invalid_body");

/** The body parsed by the schema, or the 400 to send. */
export async function parseBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema> | Response> {
  const body = await readJsonObject(c);
  if (!body.ok) {
    const message = bodyProblemMessages[body.problem];
    return invalidBody(c, message.charAt(0).toLowerCase() + message.slice(1));
  }
  const parsed = schema.safeParse(body.value, { reportInput: true });
  if (parsed.success) return parsed.data;
  return invalidBody(c, describeIssue(parsed.error.issues[0]!));
}

const kinds: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "an integer",
  boolean: "a boolean",
  array: "an array",
  object: "an object",
  record: "an object",
};

export const fieldPath = (path: PropertyKey[]) => path.map(String).join(".");

/** One sentence that names the field first. */
export function describeIssue(issue: Issue): string {
  const field = fieldPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys":
      return `${issue.keys.length > 1 ? "unknown fields" : "unknown field"} ${issue.keys.map((key) => (field ? `${field}.${key}` : key)).join(", ")}`;
    case "invalid_type":
      if (issue.input === undefined) return `missing required field ${field}`;
      return `${field} must be ${kinds[issue.expected] ?? issue.expected}${issue.input === null ? ", not null" : ""}`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map((value) => JSON.stringify(value)).join(", ")}`;
    case "invalid_format":
      return `${field} must be a valid ${issue.format === "email" ? "email address" : issue.format}`;
    case "too_small":
      if (issue.origin === "array") return `${field} must hold at least ${issue.minimum} item${Number(issue.minimum) === 1 ? "" : "s"}`;
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? `${field} must not be empty` : `${field} must be at least ${issue.minimum} characters`;
      return `${field} must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "array") return `${field} holds at most ${issue.maximum} items`;
      if (issue.origin === "string") return `${field} must be at most ${issue.maximum} characters`;
      return `${field} must be at most ${issue.maximum}`;
    case "custom":
      return `${field} ${issue.message}`;
    default:
      return field ? `${field}: ${issue.message}` : issue.message;
  }
}
