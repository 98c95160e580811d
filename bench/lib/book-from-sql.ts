/**
 * Reads a book back from PostgreSQL the way the server rebuilds its engine at start
 * (lib/server/live-engine.ts: collateral and open positions cast to float8; market rows as
 * risk-model parameters as lib/server/runtime.ts maps them), as columns for lib/risk
 * `accountFiguresColumnar` and as the batches `LiveBook` loads. Accounts in id order; positions
 * grouped by account, in market id order.
 */
import type pg from "pg";
import { compileMarket, type CompiledMarket, type MarketParams } from "@/lib/risk";

export interface SqlBook {
  params: MarketParams[];
  markets: CompiledMarket[];
  /** Latest price of each market (the median of its sources), by market index. */
  marks: Float64Array;
  accountIds: string[];
  accountStart: Int32Array;
  collateral: Float64Array;
  market: Int32Array;
  qty: Float64Array;
  entryPrice: Float64Array;
}

interface MarketRow {
  id: string;
  lot_size: string;
  tick_size: string;
  liquidation_fee_rate: string;
  tiers: MarketParams["tiers"];
  half_spread_bps: string;
  depth_per_1pct: string;
  mark: number | null;
}

export async function readBookFromSql(client: pg.Client): Promise<SqlBook> {
  const marketRows = await client.query<MarketRow>(
    `SELECT m.id, m.lot_size, m.tick_size, m.liquidation_fee_rate, m.tiers, m.half_spread_bps, m.depth_per_1pct,
            (SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY lp.price::float8) FROM latest_prices lp WHERE lp.market_id = m.id) AS mark
       FROM markets m ORDER BY m.id`,
  );
  const params: MarketParams[] = marketRows.rows.map((m) => ({
    id: m.id,
    lotSize: Number(m.lot_size),
    tickSize: Number(m.tick_size),
    liquidationFeeRate: Number(m.liquidation_fee_rate),
    tiers: m.tiers,
    liquidity: { halfSpreadBps: Number(m.half_spread_bps), depthPer1Pct: Number(m.depth_per_1pct) },
  }));
  const marketIndex = new Map(params.map((p, i) => [p.id, i]));
  const marks = Float64Array.from(marketRows.rows, (m) => (m.mark === null ? NaN : Number(m.mark)));

  const accounts = await client.query<{ id: string; collateral: number }>("SELECT id, collateral::float8 AS collateral FROM accounts ORDER BY id");
  const positions = await client.query<{ account_id: string; market_id: string; qty: number; entry_price: number }>(
    `SELECT account_id, market_id, qty::float8 AS qty, entry_price::float8 AS entry_price
       FROM positions WHERE qty <> 0 ORDER BY account_id, market_id`,
  );
  const n = accounts.rows.length;
  const rows = positions.rows.length;
  const accountIds = accounts.rows.map((a) => a.id);
  const collateral = Float64Array.from(accounts.rows, (a) => a.collateral);
  const accountStart = new Int32Array(n + 1);
  const market = new Int32Array(rows);
  const qty = new Float64Array(rows);
  const entryPrice = new Float64Array(rows);
  let r = 0;
  for (let a = 0; a < n; a++) {
    accountStart[a] = r;
    const id = accountIds[a]!;
    for (; r < rows && positions.rows[r]!.account_id === id; r++) {
      const p = positions.rows[r]!;
      market[r] = marketIndex.get(p.market_id)!;
      qty[r] = p.qty;
      entryPrice[r] = p.entry_price;
    }
  }
  accountStart[n] = r;
  if (r !== rows) throw new Error(`positions of accounts that are not in the accounts table (${rows - r} rows)`);
  return { params, markets: params.map(compileMarket), marks, accountIds, accountStart, collateral, market, qty, entryPrice };
}
