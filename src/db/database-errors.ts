export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
  constructor(target: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message || cause.name : String(cause);
    super(`cannot reach the database at ${target}: ${reason}`, { cause });
  }
}
