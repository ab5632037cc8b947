// Reading a REST body as a JSON object, the first step of every profile's body parsing. Each
// profile words the failure in its own error body.
import type { Context } from "hono";

export type JsonObjectBody = { ok: true; value: Record<string, unknown> } | { ok: false; problem: "empty" | "not_json" | "not_object" };

export async function readJsonObject(c: Context): Promise<JsonObjectBody> {
  const text = await c.req.text();
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: text.trim() === "" ? "empty" : "not_json" };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { ok: false, problem: "not_object" };
  return { ok: true, value: value as Record<string, unknown> };
}

/** The usual wording of each problem, capitalised as a sentence. */
export const bodyProblemMessages = {
  empty: "A JSON body is required",
  not_json: "The body is not valid JSON",
  not_object: "The body must be a JSON object",
} as const;
