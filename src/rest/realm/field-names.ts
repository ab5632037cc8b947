// GraphQL input paths (`input.redirectUris.0`) as the seed's field names (`redirect_uris.0`).

export type FieldNames = {
  /** GraphQL input field → seed field, where the snake_case form is not the name: `{ status: "is_suspended" }`. */
  renamed?: Record<string, string>;
};

const snakeCase = (name: string) => name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);

export function seedFieldName(path: string, names: FieldNames = {}): string {
  const [first = "", ...rest] = path.replace(/^input\./, "").split(".");
  return [names.renamed?.[first] ?? snakeCase(first), ...rest].join(".");
}
