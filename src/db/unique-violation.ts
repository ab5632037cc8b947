// PGlite surfaces a unique violation as the raw PostgreSQL error (SQLSTATE 23505) while the pg
// adapter maps it to Prisma's P2002: recognise both.
export function isUniqueViolation(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth++) {
    const candidate = current as { code?: unknown; cause?: unknown; originalCode?: unknown };
    if (candidate.code === "P2002" || candidate.code === "23505" || candidate.originalCode === "23505") return true;
    current = candidate.cause;
  }
  return false;
}
