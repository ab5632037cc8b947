// What a request of the simple profile may carry, checked before any operation runs: the
// user_id of the path, the query string of the list and the JSON bodies, each against a zod
// schema (the route's contract). Anything wrong is 400 invalid_request naming the field.
import type { Context } from "hono";
import { z } from "zod";
import { bodyProblemMessages, readJsonObject } from "../json-object-body.js";
import { decodeId } from "../../graphql/global-id.js";
import { badRequest } from "./errors.js";

type Issue = z.core.$ZodIssue;

/** The user_id of the path (`usr_` and a lower-case ULID), or the 400 to send. */
export function pathUserId(c: Context): string | Response {
  const value = c.req.param("user_id") ?? "";
  if (decodeId(value).typename === "User") return value;
  return badRequest(c, `user_id must be a user id such as usr_01hx… (got ${JSON.stringify(value.slice(0, 64))})`);
}

/** The query string parsed by the schema (each parameter at most once), or the 400 to send. */
export function parseQuery<Schema extends z.ZodType>(c: Context, schema: Schema): z.output<Schema> | Response {
  const values: Record<string, string> = {};
  for (const [name, all] of Object.entries(c.req.queries())) {
    if (all.length > 1) return badRequest(c, `${name} must be given once`);
    values[name] = all[0]!;
  }
  const parsed = schema.safeParse(values, { reportInput: true });
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  if (issue.code === "unrecognized_keys") {
    return badRequest(c, `Unknown query parameter${issue.keys.length > 1 ? "s" : ""}: ${issue.keys.join(", ")}`);
  }
  return badRequest(c, describe(issue));
}

/** The JSON object body parsed by the schema, or the 400 to send. */
export async function parseBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema> | Response> {
  const body = await readJsonObject(c);
  if (!body.ok) return badRequest(c, bodyProblemMessages[body.problem]);
  const parsed = schema.safeParse(body.value, { reportInput: true });
  if (parsed.success) return parsed.data;
  return badRequest(c, describe(parsed.error.issues[0]!));
}

const kinds: Record<string, string> = {
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
  array: "an array",
  object: "an object",
  record: "an object",
};

/** One sentence that starts with the field's name. */
function describe(issue: Issue): string {
  const field = issue.path.map(String).join(".");
  switch (issue.code) {
    case "unrecognized_keys":
      return `Unknown field${issue.keys.length > 1 ? "s" : ""}${field ? ` in ${field}` : ""}: ${issue.keys.join(", ")}`;
    case "invalid_type":
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${kinds[issue.expected] ?? issue.expected}${issue.input === null ? ", not null" : ""}`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map(String).join(", ")}`;
    case "too_small":
      if (issue.origin === "string") return Number(issue.minimum) <= 1 ? `${field} must not be empty` : `${field} must be at least ${issue.minimum} characters`;
      return `${field} must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") return `${field} must be at most ${issue.maximum} characters`;
      return `${field} must be at most ${issue.maximum}`;
    case "invalid_format":
    case "custom":
      return `${field} ${issue.message}`;
    default:
      return field ? `${field}: ${issue.message}` : issue.message;
  }
}
