/**
 * Writes a generated book into the project's schema: `markets` (tiers as the JSON array the app
 * stores), `accounts` with their collateral, `positions`, and one `latest_prices` row per market
 * (source "bench"). Multi-row inserts from arrays (`INSERT … SELECT FROM unnest($1::text[], …)`),
 * `BATCH` rows per statement, then VACUUM ANALYZE as a DBA would after a bulk load. Numbers go in
 * as their shortest decimal text; Decimal(38,18) rounds them to 18 decimals.
 */
import type pg from "pg";
import type { MarketParams } from "@/lib/risk";
import { bookAccountId, type GeneratedBook } from "./book-generator";

const BATCH = 50_000;
export const BENCH_PRICE_SOURCE = "bench";

/** Inserts markets (their parameters as the engine has them) in one statement. */
export async function insertMarkets(client: pg.Client, markets: readonly MarketParams[]): Promise<void> {
  await client.query(
    `INSERT INTO markets (id, base_asset, lot_size, tick_size, liquidation_fee_rate, tiers, half_spread_bps, depth_per_1pct)
     SELECT id, split_part(id, '-', 1), lot, tick, fee, tiers, spread, depth
       FROM unnest($1::text[], $2::numeric[], $3::numeric[], $4::numeric[], $5::jsonb[], $6::numeric[], $7::numeric[])
         AS t(id, lot, tick, fee, tiers, spread, depth)`,
    [
      markets.map((p) => p.id),
      markets.map((p) => String(p.lotSize)),
      markets.map((p) => String(p.tickSize)),
      markets.map((p) => String(p.liquidationFeeRate)),
      markets.map((p) => JSON.stringify(p.tiers)),
      markets.map((p) => String(p.liquidity.halfSpreadBps)),
      markets.map((p) => String(p.liquidity.depthPer1Pct)),
    ],
  );
}

export async function writeBookToSql(client: pg.Client, book: GeneratedBook): Promise<{ rows: number }> {
  const { params, marks } = book;
  await insertMarkets(client, params);
  await client.query(
    `INSERT INTO latest_prices (market_id, source, price, ts, seq)
     SELECT id, $3, price, now(), 1 FROM unnest($1::text[], $2::numeric[]) AS t(id, price)`,
    [params.map((p) => p.id), Array.from(marks, String), BENCH_PRICE_SOURCE],
  );
  const accounts = book.collateral.length;
  for (let a0 = 0; a0 < accounts; a0 += BATCH) {
    const a1 = Math.min(accounts, a0 + BATCH);
    const ids: string[] = [];
    const collateral: string[] = [];
    for (let a = a0; a < a1; a++) {
      ids.push(bookAccountId(a));
      collateral.push(String(book.collateral[a]!));
    }
    await client.query("INSERT INTO accounts (id, collateral) SELECT * FROM unnest($1::text[], $2::numeric[])", [ids, collateral]);
  }
  const rows = book.accountStart[accounts]!;
  let a = 0;
  for (let r0 = 0; r0 < rows; r0 += BATCH) {
    const r1 = Math.min(rows, r0 + BATCH);
    const account: string[] = [];
    const market: string[] = [];
    const qty: string[] = [];
    const entry: string[] = [];
    for (let r = r0; r < r1; r++) {
      while (book.accountStart[a + 1]! <= r) a++;
      account.push(bookAccountId(a));
      market.push(params[book.market[r]!]!.id);
      qty.push(String(book.qty[r]!));
      entry.push(String(book.entryPrice[r]!));
    }
    await client.query(
      `INSERT INTO positions (account_id, market_id, qty, entry_price, source, last_seq)
       SELECT acc, mkt, q, e, $5, 1 FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[]) AS t(acc, mkt, q, e)`,
      [account, market, qty, entry, BENCH_PRICE_SOURCE],
    );
  }
  await client.query("VACUUM ANALYZE markets, latest_prices, accounts, positions");
  return { rows };
}
