import "server-only";
import { InputError, parseInput, type FieldError } from "@/lib/contracts/api-error";
import { ingestPricesSchema, type IngestPrices } from "@/lib/contracts/ingest-prices";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { DEFAULT_MAX_CLOCK_SKEW_MS } from "@/lib/server/env";

export interface IngestPricesResult {
  /** Ticks newer than the source's latest price: applied. */
  accepted: number;
  /** Ticks not newer than what was already applied for their source and market: ignored. */
  ignored: number;
  /** Markets whose latest price from this source changed, in id order. */
  marketIds: string[];
}

/** The server's clock when a batch arrived, and how far ahead of it a tick may be dated (spec §7). */
export interface ServerClock {
  now: number;
  maxClockSkewMs: number;
}

/** The server's clock now, with the default skew (tests and the CLI; the server passes its env's). */
export const clockNow = (): ServerClock => ({ now: Date.now(), maxClockSkewMs: DEFAULT_MAX_CLOCK_SKEW_MS });

/** The field error of a time (`path`) dated more than `maxClockSkewMs` ahead of the server's clock, if it is (prices, funding). */
export function aheadOfClock(clock: ServerClock, ts: number, path: string): FieldError[] {
  return ts <= clock.now + clock.maxClockSkewMs ? []
    : [{ path, message: `${ts} is ahead of the server's clock by more than maxClockSkewMs (${clock.maxClockSkewMs} ms)` }];
}

/**
 * A validated batch, in time order per market, duplicates (same market and ts) dropped. A tick
 * dated after `notAfter` (the server's clock plus `maxClockSkewMs`, spec §7) refuses the whole
 * batch: a feed cannot keep a market fresh, or hold its own cursor, by dating ticks ahead.
 */
export function normaliseTicks(batch: IngestPrices, knownMarket: (id: string) => boolean, clock: ServerClock = clockNow()) {
  const issues = batch.ticks.flatMap((t, i) => [
    ...(knownMarket(t.marketId) ? [] : [{ path: `ticks[${i}].marketId`, message: `unknown market "${t.marketId}"` }]),
    ...aheadOfClock(clock, t.ts, `ticks[${i}].ts`),
  ]);
  if (issues.length > 0) throw new InputError(issues);
  const sorted = [...batch.ticks].sort((a, b) => (a.marketId < b.marketId ? -1 : a.marketId > b.marketId ? 1 : a.ts - b.ts));
  return sorted.filter((t, i) => {
    const prev = sorted[i - 1];
    return !prev || prev.marketId !== t.marketId || prev.ts < t.ts;
  });
}

/**
 * Price ingest (POST /api/v1/ingest/prices and the simulator): validates the whole batch, then
 * in one statement updates each market's latest price for the source and folds the ticks into
 * 1-second OHLC candles. Ticks not newer than the source's latest price are ignored (spec §7).
 * Returns once the database has committed; only then does the caller apply the ticks live.
 * `receivedAt` (server clock) is kept as the price's `updated_at`: its freshness after a restart.
 *
 * The ticks travel as one JSON parameter, `[{ marketId, price, ts }]` as JSON.stringify writes it
 * (prices in their shortest round-trip form, read by PostgreSQL as exact `numeric`; `ts` in epoch
 * ms, made a timestamp in SQL): no per-tick string or Date is built in JavaScript, which is what
 * bounds a batch's cost on the event loop.
 */
export async function persistPriceTicks(
  prisma: PrismaClient,
  source: string,
  ticks: { marketId: string; price: number; ts: number }[],
  receivedAt: number = Date.now(),
): Promise<IngestPricesResult> {
  const received = new Date(receivedAt);
  const input = JSON.stringify(ticks, ["marketId", "price", "ts"]);
  const rows = await prisma.$queryRaw<{ market_id: string; n: number }[]>`
    WITH input AS (
      SELECT t."marketId" AS market_id, t.price, timestamptz 'epoch' + t.ts * interval '1 millisecond' AS ts, t.ts AS seq
        FROM json_to_recordset(${input}::json) AS t("marketId" text, price numeric, ts bigint)
    ), prior AS (
      SELECT market_id, seq FROM latest_prices WHERE source = ${source} AND market_id IN (SELECT market_id FROM input)
    ), fresh AS (
      SELECT i.* FROM input i LEFT JOIN prior p USING (market_id) WHERE p.seq IS NULL OR i.seq > p.seq
    ), candles AS (
      INSERT INTO price_ticks_1s AS c (market_id, source, bucket, open, high, low, close, count)
      SELECT market_id, ${source}, date_trunc('second', ts),
             (array_agg(price ORDER BY seq))[1], max(price), min(price),
             (array_agg(price ORDER BY seq DESC))[1], count(*)
        FROM fresh GROUP BY market_id, date_trunc('second', ts)
      ON CONFLICT (market_id, source, bucket) DO UPDATE
        SET high = greatest(c.high, excluded.high), low = least(c.low, excluded.low),
            close = excluded.close, count = c.count + excluded.count
    ), latest AS (
      INSERT INTO latest_prices AS l (market_id, source, price, ts, seq, updated_at)
      SELECT DISTINCT ON (market_id) market_id, ${source}, price, ts, seq, ${received}::timestamptz FROM fresh ORDER BY market_id, seq DESC
      ON CONFLICT (market_id, source) DO UPDATE
        SET price = excluded.price, ts = excluded.ts, seq = excluded.seq, updated_at = excluded.updated_at
        WHERE l.seq < excluded.seq
    )
    SELECT market_id, count(*)::int AS n FROM fresh GROUP BY market_id ORDER BY market_id`;
  const accepted = rows.reduce((sum, r) => sum + Number(r.n), 0);
  return { accepted, ignored: ticks.length - accepted, marketIds: rows.map((r) => r.market_id) };
}

/** Parses a raw body into a normalised batch; throws an InputError naming the bad fields. */
export function parsePriceBatch(body: unknown, knownMarket: (id: string) => boolean, clock: ServerClock = clockNow()) {
  const batch = parseInput(ingestPricesSchema, body);
  return { source: batch.source, ticks: normaliseTicks(batch, knownMarket, clock) };
}
