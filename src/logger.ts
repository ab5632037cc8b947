// Structured JSON logs on stdout (pino). Secrets never reach a log line: redact the usual carriers,
// and log database errors without the values they quote (./logged-error.ts).
import { pino, type Logger } from "pino";
import { serializeError } from "./logged-error.js";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "usergate" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["*.authorization", "*.password", "*.client_secret", "*.clientSecret"],
    serializers: { err: serializeError },
  });
}
