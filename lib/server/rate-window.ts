import "server-only";
import type { PrismaClient } from "./db/prisma-client";
import { HttpError } from "./errors";

/** Windows older than this are deleted when a key opens a new window. */
const KEEP_MS = 3_600_000;

/**
 * Counts one request of `key` and refuses it (429 `rate_limited`, `Retry-After` in seconds) past
 * `max` in the key's current window: a window opens at a key's first request and lasts `windowMs`
 * (the next request after it opens the next). Not windows fixed to the clock: those let a burst
 * that straddles a boundary through twice (`max` just before it, `max` again just after). The
 * count is one statement in PostgreSQL, so the limit holds across every instance sharing the
 * database; two first requests of one key at the same moment may open two windows (one request
 * more is let through then, never more). `now`: the server clock (a parameter for the tests).
 */
export async function consumeRateWindow(
  prisma: PrismaClient, key: string, max: number, windowMs: number, what: string, now = Date.now(),
): Promise<void> {
  const [row] = await prisma.$queryRaw<{ count: number; window_start: Date }[]>`
    INSERT INTO rate_windows (key, window_start, count)
    VALUES (${key}, COALESCE(
      (SELECT max(window_start) FROM rate_windows WHERE key = ${key} AND window_start > ${new Date(now - windowMs)} AND window_start <= ${new Date(now)}),
      ${new Date(now)}), 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
    RETURNING count, window_start`;
  const count = Number(row?.count ?? 1);
  const windowStart = row?.window_start.getTime() ?? now;
  if (count === 1) await prisma.$executeRaw`DELETE FROM rate_windows WHERE window_start < ${new Date(now - KEEP_MS)}`;
  if (count > max) {
    const retryAfterS = Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000));
    throw new HttpError(429, "rate_limited", `too many ${what}: at most ${max} per ${windowMs / 1000} s; try again in ${retryAfterS} s`,
      { "retry-after": String(retryAfterS) });
  }
}
