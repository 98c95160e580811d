import "server-only";
import type { PrismaClient } from "@/lib/server/db/prisma-client";

/** A market's last computed mark and when (epoch ms, server clock) the newest price behind it was received. */
export interface PersistedMark {
  marketId: string;
  mark: number;
  ts: number;
}

/** Every market's last persisted mark (a market never priced has none). */
export async function loadMarketMarks(prisma: PrismaClient): Promise<PersistedMark[]> {
  const rows = await prisma.$queryRaw<{ market_id: string; mark: number; computed_at: Date }[]>`
    SELECT market_id, mark::float8 AS mark, computed_at FROM market_marks ORDER BY market_id`;
  return rows.map((r) => ({ marketId: r.market_id, mark: Number(r.mark), ts: r.computed_at.getTime() }));
}

/**
 * Keeps the last computed marks (one statement, one JSON parameter). A row is replaced only by a
 * mark computed later, so an older write landing late never rolls a mark back.
 */
export async function saveMarketMarks(prisma: PrismaClient, marks: readonly PersistedMark[]): Promise<void> {
  if (marks.length === 0) return;
  const input = JSON.stringify(marks, ["marketId", "mark", "ts"]);
  await prisma.$executeRaw`
    INSERT INTO market_marks AS m (market_id, mark, computed_at)
    SELECT t."marketId", t.mark, timestamptz 'epoch' + t.ts * interval '1 millisecond'
      FROM json_to_recordset(${input}::json) AS t("marketId" text, mark numeric, ts bigint)
    ON CONFLICT (market_id) DO UPDATE SET mark = excluded.mark, computed_at = excluded.computed_at
      WHERE m.computed_at <= excluded.computed_at`;
}

/**
 * Repairs state poisoned by ticks dated ahead of the clock (accepted before such ticks were
 * refused, spec §7), at start (`now`, the server's clock):
 * - every source's latest price dated more than `maxClockSkewMs` after `now` is dropped: it would
 *   otherwise hold that source's cursor in the future (its correct ticks ignored as "older");
 * - a persisted mark dated after `now` (its time is a receive time, so only a clock that went back
 *   or such a tick can put it there) is dated `now`: it is then as old as it can truthfully be said
 *   to be at most, and turns stale after `staleAfterMs` like any other.
 * Returns how many of each were repaired.
 */
export async function repairFutureDatedPrices(prisma: PrismaClient, now: number, maxClockSkewMs: number): Promise<{ prices: number; marks: number }> {
  const prices = await prisma.$executeRaw`DELETE FROM latest_prices WHERE ts > ${new Date(now + maxClockSkewMs)}`;
  const marks = await prisma.$executeRaw`UPDATE market_marks SET computed_at = ${new Date(now)} WHERE computed_at > ${new Date(now)}`;
  return { prices, marks };
}

/**
 * Each market's marks of the last `minutes` before `startedAt`, one a second (the median of the
 * sources' closes in each second), oldest first: the live charts' history after a restart.
 */
export async function markHistory(prisma: PrismaClient, startedAt: number, minutes: number): Promise<Map<string, { ts: number; mark: number }[]>> {
  const history = await prisma.$queryRaw<{ market_id: string; bucket: Date; mark: number }[]>`
    SELECT market_id, bucket, percentile_cont(0.5) WITHIN GROUP (ORDER BY close::float8) AS mark
      FROM price_ticks_1s
     WHERE bucket > now() - make_interval(mins => ${minutes}) AND bucket <= ${new Date(startedAt)}
     GROUP BY market_id, bucket ORDER BY market_id, bucket`;
  const byMarket = new Map<string, { ts: number; mark: number }[]>();
  for (const h of history) {
    const list = byMarket.get(h.market_id) ?? [];
    list.push({ ts: h.bucket.getTime(), mark: Number(h.mark) });
    byMarket.set(h.market_id, list);
  }
  return byMarket;
}
