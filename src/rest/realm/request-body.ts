// Request bodies checked against each route's zod schema, the contract of the route. Not JSON,
// not an object, a wrong type, an unknown field or a malformed id is the client's mistake in
// the request's form: 400. A missing field or a value outside what the field accepts: 422.
import type { Context } from "hono";
import { z } from "zod";
import { bodyProblemMessages, readJsonObject } from "../json-object-body.js";
import { decodeId } from "../../graphql/global-id.js";
import { realmError } from "./errors.js";

type Issue = z.core.$ZodIssue;

/** The GraphQL types whose ids the realm profile takes. */
export type IdType = "User" | "Role" | "Application" | "Resource" | "Scope";

/** How messages name each kind of id. */
export const idLabels: Record<IdType, string> = {
  User: "a user id",
  Role: "a role id",
  Application: "an application id",
  Resource: "a resource id",
  Scope: "a scope id",
};

/** Whether the value is a well-formed id of that type (`rol_` + 26 lower-case ULID characters). */
export const isIdOf = (type: IdType, value: string) => decodeId(value).typename === type;

/** A well-formed id of this type in a body. */
export function idOf(type: IdType) {
  return z.string().refine((value) => isIdOf(type, value), { message: `not ${idLabels[type]}`, params: { malformedId: true } });
}

/** `role_ids`, `scope_ids`: one to a hundred well-formed ids. */
export const idList = (type: IdType) => z.array(idOf(type)).min(1).max(100);

/** The body parsed by the schema, or the 400/422 response to send. */
export async function parseBody<Schema extends z.ZodType>(c: Context, schema: Schema): Promise<z.output<Schema> | Response> {
  const body = await readJsonObject(c);
  if (!body.ok) return realmError(c, 400, "invalid_request", bodyProblemMessages[body.problem]);
  const parsed = schema.safeParse(body.value, { reportInput: true });
  if (parsed.success) return parsed.data;
  return issueResponse(c, parsed.error.issues);
}

/** The first issue about the request's form (400), or else the first about a value (422). */
export function issueResponse(c: Context, issues: Issue[]) {
  const formIssue = issues.find(isFormIssue);
  if (formIssue) return realmError(c, 400, "invalid_request", describe(formIssue));
  return realmError(c, 422, "validation_error", describe(issues[0]!));
}

function isFormIssue(issue: Issue): boolean {
  if (issue.code === "unrecognized_keys") return true;
  if (issue.code === "custom") return issue.params?.malformedId === true;
  if (issue.code === "invalid_type") return issue.input !== undefined && !(issue.expected === "int" && typeof issue.input === "number");
  if (issue.code === "invalid_union") return true;
  return false;
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

/** `role_ids.1`, `name`: the path as the seed's clients write it. */
export const fieldPath = (path: PropertyKey[]) => path.map(String).join(".");

function describe(issue: Issue): string {
  const field = fieldPath(issue.path);
  switch (issue.code) {
    case "unrecognized_keys": {
      const where = field ? ` in ${field}` : "";
      return `Unknown field${issue.keys.length > 1 ? "s" : ""}${where}: ${issue.keys.join(", ")}`;
    }
    case "invalid_type":
      if (issue.input === undefined) return `${field} is required`;
      return `${field} must be ${kinds[issue.expected] ?? issue.expected}`;
    case "invalid_value":
      return `${field} must be one of ${issue.values.map(String).join(", ")}`;
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
      return `${field} is ${issue.message}`;
    default:
      return field ? `${field}: ${issue.message}` : issue.message;
  }
}
