import { compileMarket, initialMargin, maintenanceMargin, qtyOfLots, type CompiledMarket } from "@/lib/risk";
import { createPrng, logUniform } from "./prng";
import { roundToTick } from "./price-path";
import type { SeedMarket } from "./seed-markets";

export interface PopulationOptions {
  markets: SeedMarket[];
  /** Current mark of each market; entries are placed around it. */
  prices: Map<string, number>;
  count: number;
  seed: number;
}

export interface Population {
  positions: { accountId: string; marketId: string; qty: number; entryPrice: number; seq: number }[];
  collateral: { accountId: string; amount: string; kind: "deposit"; idempotencyKey: string }[];
}

/** Largest and smallest position notional, as multiples of the market's `depthPer1Pct`. */
export const POSITION_NOTIONAL_OF_DEPTH = { min: 0.0005, max: 0.6 } as const;

/** Leverage (notional / equity) the accounts opened at, log-uniform. */
export const LEVERAGE = { min: 1.5, max: 30 } as const;

/** Share of accounts drawn in the tail near liquidation (margin ratio 50%–90%). */
export const NEAR_LIQUIDATION_SHARE = 0.015;

/**
 * A demo account population, calibrated to look like a venue on a calm day (docs/RISK-NOTES.md, "Demo
 * calibration"):
 * - each account holds one to three positions in markets picked uniformly; a position's notional
 *   is log-uniform between `POSITION_NOTIONAL_OF_DEPTH` × its market's `depthPer1Pct` (the largest
 *   moves its market about 0.6% when liquidated at once), so that at the default 2,000 accounts a
 *   market's open interest is about 25× its depth for 1% (depth ≈ 4% of OI);
 * - most accounts opened at a leverage log-uniform in `LEVERAGE` (median about 7×) and never below
 *   their initial margin (spec §2: a venue opens nothing under it), so their margin ratio is at
 *   most about 50%; `NEAR_LIQUIDATION_SHARE` of them have drifted to a ratio of 50%–90% (about 0.4%
 *   of the book in warning, none in the queue); the simulator's moves then bring a few into it.
 */
export function generateAccountPopulation(options: PopulationOptions): Population {
  const random = createPrng(options.seed);
  const compiled = new Map<string, CompiledMarket>(options.markets.map((m) => [m.id, compileMarket({
    id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity,
  })]));
  const out: Population = { positions: [], collateral: [] };
  const width = String(options.count).length;
  for (let i = 0; i < options.count; i++) {
    const accountId = `acct-${String(i + 1).padStart(Math.max(5, width), "0")}`;
    const legs = 1 + Math.floor(random() * random() * 3);
    const used = new Set<string>();
    let equityNeededForMm = 0;
    let totalNotional = 0;
    let equityForIm = 0;
    let pnl = 0;
    for (let l = 0; l < legs; l++) {
      const market = options.markets[Math.floor(random() * options.markets.length)]!;
      if (used.has(market.id)) continue;
      used.add(market.id);
      const mark = options.prices.get(market.id) ?? market.sim.startPrice;
      const depth = market.liquidity.depthPer1Pct;
      const notional = logUniform(random, depth * POSITION_NOTIONAL_OF_DEPTH.min, depth * POSITION_NOTIONAL_OF_DEPTH.max);
      const c = compiled.get(market.id)!;
      const lots = Math.max(1, Math.round(notional / mark / market.lotSize));
      const qty = qtyOfLots(c, lots) * (random() < 0.55 ? 1 : -1);
      const entryPrice = roundToTick(mark * (1 + (random() - 0.5) * 0.01), market.tickSize);
      out.positions.push({ accountId, marketId: market.id, qty, entryPrice, seq: 1 });
      equityNeededForMm += maintenanceMargin(c, Math.abs(qty) * mark);
      totalNotional += Math.abs(qty) * mark;
      equityForIm += initialMargin(c, Math.abs(qty) * mark);
      pnl += qty * (mark - entryPrice);
    }
    // Equity at the opening leverage (at least the initial margin), or, for the tail, such that
    // MM / equity = a ratio near liquidation; collateral is that equity less the open PnL.
    const equity = random() < NEAR_LIQUIDATION_SHARE
      ? equityNeededForMm / (0.5 + 0.4 * random())
      : Math.max(totalNotional / logUniform(random, LEVERAGE.min, LEVERAGE.max), equityForIm);
    const collateral = Math.max(10, equity - pnl);
    out.collateral.push({ accountId, amount: collateral.toFixed(2), kind: "deposit", idempotencyKey: `sim-deposit:${accountId}` });
  }
  return out;
}
