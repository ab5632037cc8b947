// JSON objects stored on rows (metadata, custom attributes): their size limit, and the
// first-level merge of seed 001's custom attributes and Auth0's PATCH for metadata: each key given
// replaces that key's whole value (nested objects included) and a key given null is removed.
import { ValidationError } from "./errors.js";

/** The most a stored JSON object may take, serialised. */
export const maxJsonObjectBytes = 16 * 1024;

export function checkJsonSize(field: string, value: unknown, max: number = maxJsonObjectBytes): void {
  if (value === null || value === undefined) return;
  if (Buffer.byteLength(JSON.stringify(value)) > max) {
    throw new ValidationError(field, `${field} must be at most ${max / 1024} KB of JSON`);
  }
}

export function mergeFirstLevel(current: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = new Map(Object.entries(typeof current === "object" && current !== null ? current : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(merged);
}
