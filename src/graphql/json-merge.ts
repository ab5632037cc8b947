// First-level merge of a stored JSON object, the semantics of seed 001's custom attributes and
// of Auth0's PATCH for metadata: each key given replaces that key's whole value (nested objects
// included) and a key given null is removed.

export function mergeFirstLevel(current: unknown, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = new Map(Object.entries(typeof current === "object" && current !== null ? current : {}));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(merged);
}
