// Auth0's PATCH semantics for user_metadata and app_metadata: the object sent is merged into the
// stored one at the first level (each key given replaces that key's whole value, nested objects
// included), a key set to null is removed, and an empty object clears the metadata.

export function mergeMetadata(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  if (Object.keys(patch).length === 0) return {};
  const merged = new Map(Object.entries(current));
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) merged.delete(key);
    else merged.set(key, value);
  }
  // fromEntries defines own properties, so a key such as "__proto__" stays a plain key.
  return Object.fromEntries(merged);
}
