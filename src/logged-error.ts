// What a log line may say about an error. Database errors carry the values of the statement
// that failed: Prisma's validation errors print the call's arguments (emails, hashes) and
// PostgreSQL's messages and details quote input and rows ("Key (email)=(jane@example.com)").
// Logs keep their kind, code and where they happened, which is what an operator acts on.
import { pino } from "pino";

type Loggable = Record<string, unknown>;
type DatabaseFields = Error & { code?: unknown; meta?: Loggable; cause?: unknown; severity?: unknown; table?: unknown; constraint?: unknown };

/** pino's `err` serializer with database errors reduced to values-free facts; GraphQL errors unwrapped. */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const original = (error as { originalError?: unknown }).originalError;
  if (error.name === "GraphQLError" && original instanceof Error) {
    return { type: "GraphQLError", path: (error as { path?: unknown }).path, cause: serializeError(original) };
  }
  const facts = databaseFacts(error as DatabaseFields);
  return facts ? withoutUndefined({ ...facts, stack: frames(error) }) : pino.stdSerializers.err(error);
}

function databaseFacts(error: DatabaseFields): Loggable | null {
  // Prisma's first line names the failed call (`Invalid prisma.user.create() invocation`).
  if (error.name.startsWith("PrismaClient")) {
    return { type: error.name, message: firstLine(error.message), code: error.code, model: error.meta?.modelName, target: error.meta?.target };
  }
  // What a driver adapter reports: its own kind and the server's code, not the server's message.
  if (error.name === "DriverAdapterError") {
    const cause = (error.cause ?? {}) as Loggable;
    return { type: error.name, kind: cause.kind, code: cause.originalCode ?? cause.code, constraint: cause.constraint };
  }
  // pg's and PGlite's DatabaseError (PGlite's class name is minified): the server's own fields.
  if (typeof error.severity === "string" && typeof error.code === "string") {
    return { type: "DatabaseError", code: error.code, severity: error.severity, table: error.table, constraint: error.constraint };
  }
  return null;
}

const firstLine = (message: string) => message.trim().split("\n")[0]!.replace(/ in$|:$/, "");
/** The call frames alone: a stack starts with the message, values included. */
const frames = (error: Error) => error.stack?.split("\n").filter((line) => line.startsWith("    at ")).join("\n");
const withoutUndefined = (facts: Loggable) => Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined));
