import "server-only";
import type { PrismaClient } from "./db/prisma-client";
import { HttpError } from "./errors";

/** Windows older than this are deleted when a key opens a new window. */
const KEEP_MS = 3_600_000;

/**
 * Counts one request of `key` in the current fixed window of `windowMs` and refuses it (429
 * `rate_limited`, `Retry-After` in seconds) past `max`. The count is one upsert in PostgreSQL, so
 * the limit holds across every instance sharing the database.
 */
export async function consumeRateWindow(prisma: PrismaClient, key: string, max: number, windowMs: number, what: string): Promise<void> {
  const now = Date.now();
  const windowStart = new Date(Math.floor(now / windowMs) * windowMs);
  const [row] = await prisma.$queryRaw<{ count: number }[]>`
    INSERT INTO rate_windows (key, window_start, count) VALUES (${key}, ${windowStart}, 1)
    ON CONFLICT (key, window_start) DO UPDATE SET count = rate_windows.count + 1
    RETURNING count`;
  const count = Number(row?.count ?? 1);
  if (count === 1) await prisma.$executeRaw`DELETE FROM rate_windows WHERE window_start < ${new Date(now - KEEP_MS)}`;
  if (count > max) {
    const retryAfterS = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now) / 1000));
    throw new HttpError(429, "rate_limited", `too many ${what}: at most ${max} per ${windowMs / 1000} s; try again in ${retryAfterS} s`,
      { "retry-after": String(retryAfterS) });
  }
}
