/**
 * The accounts the tick-to-DOM benchmark watches (docs/PERFORMANCE.md, "Tick to DOM"), added to a
 * generated book: two probe markets that only the probes hold, and one probe account in each.
 *
 *   ratio probe  long 100 PROBEA at 1,000, its collateral chosen so that its margin ratio is 85%
 *                (warning) at the "up" price and 115% (liquidatable) at the "down" one: every tick
 *                moves the ratio its desk page shows across the liquidation line and back;
 *   queue probe  long 100 PROBEB bought at 1,100: healthy (ratio 50%) at the up price, bankrupt at
 *                the down one with equity ≈ −8 × MM, far below any account of the generated book,
 *                so that it enters the liquidation queue at rank 1 (the top row of the desk's queue
 *                panel) on every down tick and leaves it on every up tick.
 *
 * Tick k moves each probe market to its up price (k even) or its down price (k odd), plus k × 2
 * price ticks (0.0002), so that every tick gives each probe figures of its own: the ratio on the
 * page (its raw value, `data-value`) and the mark in the queue row name the tick they show.
 * Expected figures are the risk model's (lib/risk), at the price sent.
 */
import type pg from "pg";
import {
  accountStatus, compileMarket, DEFAULT_RISK_PARAMS, maintenanceMargin, marginRatio, type AccountStatus, type CompiledMarket, type MarketParams,
} from "@/lib/risk";
import { BENCH_PRICE_SOURCE, insertMarkets } from "./book-to-sql";

/** Every probe market's price at the book's load, USD. */
export const PROBE_START_PRICE = 1000;
const TICK_SIZE = 0.0001;
const TICK_DECIMALS = 4;
/** Price ticks added per benchmark tick, so that no two ticks give the same figures. */
const UNIQUE_TICKS_PER_TICK = 2;
const QTY = 100;

function probeMarket(id: string): MarketParams {
  return {
    id,
    lotSize: 0.001,
    tickSize: TICK_SIZE,
    liquidationFeeRate: 0.0025,
    tiers: [{ maxNotional: 1_000_000, mmr: 0.01, maxLeverage: 50 }, { maxNotional: null, mmr: 0.02, maxLeverage: 25 }],
    liquidity: { halfSpreadBps: 2, depthPer1Pct: 10_000_000 },
  };
}

export interface Probe {
  accountId: string;
  market: CompiledMarket;
  qty: number;
  entryPrice: number;
  /** Collateral in cents, as stored (Decimal) and read back by the engine (float8). */
  collateral: number;
  /** Relative move of the up and down prices from PROBE_START_PRICE. */
  move: number;
}

export interface ProbeFigures {
  price: number;
  equity: number;
  maintenanceMargin: number;
  marginRatio: number | null;
  status: AccountStatus;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const mmAt = (m: CompiledMarket, qty: number, price: number) => maintenanceMargin(m, Math.abs(qty) * price);

/**
 * Ratio probe: the move d and the collateral C that give ratio `up` at P0(1 + d) and `down` at
 * P0(1 − d) for a long bought at P0 in the first tier (MM = mmr·q·P): from
 * C + q·P0·d = mmr·q·P0(1 + d)/up and C − q·P0·d = mmr·q·P0(1 − d)/down.
 */
function ratioProbe(market: CompiledMarket, up: number, down: number): Probe {
  const m = market.mmr[0]!;
  const p0 = PROBE_START_PRICE;
  const move = (m * (1 / up - 1 / down)) / (2 - m * (1 / up + 1 / down));
  const collateral = cents((m * QTY * p0 * (1 + move)) / up - QTY * p0 * move);
  return { accountId: "probe-ratio", market, qty: QTY, entryPrice: p0, collateral, move };
}

/** Queue probe: healthy (health `upHealth`) at the up price, bankrupt at the down one. */
function queueProbe(market: CompiledMarket, move: number, upHealth: number): Probe {
  const entryPrice = PROBE_START_PRICE * 1.1;
  const up = PROBE_START_PRICE * (1 + move);
  const collateral = cents(upHealth * mmAt(market, QTY, up) - QTY * (up - entryPrice));
  return { accountId: "probe-queue", market, qty: QTY, entryPrice, collateral, move };
}

export const PROBE_MARKETS: MarketParams[] = [probeMarket("PROBEA-PERP"), probeMarket("PROBEB-PERP")];
const [marketA, marketB] = PROBE_MARKETS.map(compileMarket) as [CompiledMarket, CompiledMarket];
export const RATIO_PROBE: Probe = ratioProbe(marketA, 0.85, 1.15);
export const QUEUE_PROBE: Probe = queueProbe(marketB, 0.05, 2);
export const PROBES: Probe[] = [RATIO_PROBE, QUEUE_PROBE];

/** The direction of tick k: +1 (up price) for even k, −1 (down) for odd k. */
export const tickDirection = (k: number): 1 | -1 => (k % 2 === 0 ? 1 : -1);

/** The price tick k sends for the probe's market. */
export function probePrice(probe: Probe, k: number): number {
  const base = Math.round((PROBE_START_PRICE * (1 + probe.move * tickDirection(k))) / TICK_SIZE);
  return Number(((base + UNIQUE_TICKS_PER_TICK * k) * TICK_SIZE).toFixed(TICK_DECIMALS));
}

/** The probe's figures at a price of its market (spec §3, the engine's default risk parameters). */
export function probeFigures(probe: Probe, price: number): ProbeFigures {
  const equity = probe.collateral + probe.qty * (price - probe.entryPrice);
  const mm = mmAt(probe.market, probe.qty, price);
  const { warnRatio, backstopFraction } = DEFAULT_RISK_PARAMS;
  return { price, equity, maintenanceMargin: mm, marginRatio: marginRatio(equity, mm, true), status: accountStatus(equity, mm, true, warnRatio, backstopFraction) };
}

/** The mark as the queue row prints it (`mark 950.0012`, the market's tick decimals, no grouping). */
export const markText = (price: number) => price.toFixed(TICK_DECIMALS);

/** Writes the probe markets (with a price at PROBE_START_PRICE), the probe accounts and their positions. */
export async function writeProbesToSql(client: pg.Client): Promise<void> {
  await insertMarkets(client, PROBE_MARKETS);
  await client.query(
    `INSERT INTO latest_prices (market_id, source, price, ts, seq) SELECT id, $2, $3, now(), 1 FROM unnest($1::text[]) AS t(id)`,
    [PROBE_MARKETS.map((p) => p.id), BENCH_PRICE_SOURCE, String(PROBE_START_PRICE)],
  );
  await client.query("INSERT INTO accounts (id, collateral) SELECT * FROM unnest($1::text[], $2::numeric[])",
    [PROBES.map((p) => p.accountId), PROBES.map((p) => p.collateral.toFixed(2))]);
  await client.query(
    `INSERT INTO positions (account_id, market_id, qty, entry_price, source, last_seq)
     SELECT acc, mkt, q, e, $5, 1 FROM unnest($1::text[], $2::text[], $3::numeric[], $4::numeric[]) AS t(acc, mkt, q, e)`,
    [PROBES.map((p) => p.accountId), PROBES.map((p) => p.market.id), PROBES.map((p) => String(p.qty)), PROBES.map((p) => String(p.entryPrice)), BENCH_PRICE_SOURCE],
  );
}
