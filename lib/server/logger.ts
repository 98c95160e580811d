import "server-only";
import pino from "pino";

/** The process logger: JSON lines on stdout, level from LOG_LEVEL. */
export function createLogger(level: string) {
  return pino({ level, base: { app: "liqdesk" } });
}
export type Logger = ReturnType<typeof createLogger>;
