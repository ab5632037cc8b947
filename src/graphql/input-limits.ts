// Explicit limits on input values, checked before anything is written.
import { ValidationError } from "../services/errors.js";
import { checkJsonSize, maxJsonObjectBytes } from "../services/json-objects.js";

export { checkJsonSize };

export const limits = {
  nameLength: 200,
  descriptionLength: 2_000,
  metadataBytes: maxJsonObjectBytes,
  batchSize: 500,
  listSize: 100,
} as const;

export function checkLength(field: string, value: string | null | undefined, max: number, min = 1): void {
  if (value === null || value === undefined) return;
  const length = value.trim().length;
  if (length < min) throw new ValidationError(field, `${field} must not be empty`);
  if (value.length > max) throw new ValidationError(field, `${field} must be at most ${max} characters`);
}

export function checkListSize(field: string, values: readonly unknown[] | null | undefined, max: number = limits.listSize): void {
  if (values && values.length > max) throw new ValidationError(field, `${field} takes at most ${max} items`);
}
