import "server-only";
import pino from "pino";
import pretty from "pino-pretty";

/**
 * The process logger, level from LOG_LEVEL: JSON lines on stdout for a log collector; on a
 * terminal (stdout is a TTY: `npm start` by hand), pino-pretty's readable lines instead, so that
 * "ready" and the sign-in line read plainly. `pretty` overrides the choice.
 */
export function createLogger(level: string, opts: { pretty?: boolean } = {}) {
  const options = { level, base: { app: "liqdesk" } };
  if (!(opts.pretty ?? process.stdout.isTTY === true)) return pino(options);
  // Synchronous, like pino's own stdout destination: no line lost to a process.exit().
  // One line per entry: the message first and plain, its fields after it as compact JSON.
  return pino(options, pretty({ colorize: true, sync: true, singleLine: true, translateTime: "SYS:HH:MM:ss", ignore: "pid,hostname,app" }));
}
export type Logger = ReturnType<typeof createLogger>;
