// Ids in the path: a malformed one is a bad request (400); a well-formed one that does not exist
// in the caller's realm is answered 404 by the route, after GraphQL found nothing.
import type { Context } from "hono";
import { realmError } from "./errors.js";
import { idLabels, isIdOf, type IdType } from "./request-body.js";

export function pathId(c: Context, param: string, type: IdType): string | Response {
  const value = c.req.param(param) ?? "";
  if (isIdOf(type, value)) return value;
  return realmError(c, 400, "invalid_request", `${param} is not ${idLabels[type]}`);
}
