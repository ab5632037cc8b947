// Structured JSON logs on stdout (pino). Secrets never reach a log line: redact the usual carriers.
import { pino, type Logger } from "pino";

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: "usergate" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: ["*.authorization", "*.password", "*.client_secret", "*.clientSecret"],
  });
}
