// Strict readers for the typed values of a query, and the escaping LIKE patterns need.
import { SearchSyntaxError } from "./errors.js";

export function readBoolean(value: string, field: string, position: number): boolean {
  const lower = value.toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  throw new SearchSyntaxError(`invalid boolean ${JSON.stringify(value)} for ${field} (expected true or false)`, position);
}

const int32 = 2 ** 31;

export function readInteger(value: string, field: string, position: number): number {
  const number = /^[+-]?\d{1,10}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(number) || number < -int32 || number >= int32) {
    throw new SearchSyntaxError(`invalid number ${JSON.stringify(value)} for ${field}`, position);
  }
  return number;
}

/**
 * A date or date-time names an interval as long as its precision: `2025-03-01` is that whole
 * UTC day, `2025-03-01T10:00Z` that minute, `…:05.250Z` that millisecond. Exact matches and
 * range bounds use the interval, so `created_at:[2025-01-01 TO 2025-01-31]` includes all of the 31st.
 */
export type Instant = { start: Date; end: Date };

const datePattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const dateTimePattern =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

export function readInstant(value: string, field: string, position: number): Instant {
  const invalid = () => new SearchSyntaxError(`invalid date ${JSON.stringify(value)} for ${field}`, position);
  const date = datePattern.exec(value);
  const time = date ? null : dateTimePattern.exec(value);
  const parts = date ?? time;
  if (!parts) throw invalid();
  const [year, month, day] = [1, 2, 3].map((index) => Number(parts[index]));
  const hour = Number(time?.[4] ?? 0);
  const minute = Number(time?.[5] ?? 0);
  const second = Number(time?.[6] ?? 0);
  const fraction = time?.[7];
  const millisecond = fraction === undefined ? 0 : Number(fraction.padEnd(3, "0"));
  const offsetSign = time?.[9] === "-" ? -1 : 1;
  const offsetHours = Number(time?.[10] ?? 0);
  const offsetMinutes = Number(time?.[11] ?? 0);
  if (year! < 1 || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) throw invalid();

  const start = new Date(0);
  start.setUTCFullYear(year!, month! - 1, day!);
  if (start.getUTCFullYear() !== year || start.getUTCMonth() !== month! - 1 || start.getUTCDate() !== day) throw invalid();
  start.setUTCHours(hour, minute, second, millisecond);
  start.setTime(start.getTime() - offsetSign * (offsetHours * 60 + offsetMinutes) * 60_000);

  const unit = date
    ? 86_400_000
    : fraction !== undefined
      ? 10 ** (3 - fraction.length)
      : time?.[6] !== undefined
        ? 1_000
        : 60_000;
  return { start, end: new Date(start.getTime() + unit) };
}

/**
 * The text of a `timestamp(3)` value: Prisma stores DateTime columns as UTC wall-clock time
 * without a zone, so an instant is compared as its UTC rendering.
 */
export function sqlTimestamp(instant: Date): string {
  const year = instant.getUTCFullYear();
  if (year > 9999) return "infinity";
  return instant.toISOString().replace("T", " ").replace("Z", "");
}

/** Escapes LIKE's metacharacters (PostgreSQL's default escape character is the backslash). */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (char) => `\\${char}`);
}
