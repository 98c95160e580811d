import { compileMarket, maintenanceMargin, qtyOfLots, type CompiledMarket } from "@/lib/risk";
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

/**
 * A demo account population. Each account holds one to three positions (notional log-uniform
 * from 500 USD to 3M USD, so some are large enough to be liquidated in steps) and collateral
 * that puts its margin ratio between 15% and 97%: with the simulator's volatility some accounts
 * drift into warning, partial and full liquidation within minutes, most stay healthy.
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
    let pnl = 0;
    for (let l = 0; l < legs; l++) {
      const market = options.markets[Math.floor(random() * options.markets.length)]!;
      if (used.has(market.id)) continue;
      used.add(market.id);
      const mark = options.prices.get(market.id) ?? market.sim.startPrice;
      const notional = logUniform(random, 500, 3_000_000);
      const c = compiled.get(market.id)!;
      const lots = Math.max(1, Math.round(notional / mark / market.lotSize));
      const qty = qtyOfLots(c, lots) * (random() < 0.55 ? 1 : -1);
      const entryPrice = roundToTick(mark * (1 + (random() - 0.5) * 0.01), market.tickSize);
      out.positions.push({ accountId, marketId: market.id, qty, entryPrice, seq: 1 });
      equityNeededForMm += maintenanceMargin(c, Math.abs(qty) * mark);
      pnl += qty * (mark - entryPrice);
    }
    // Collateral such that MM / equity = targetRatio at the current marks.
    const targetRatio = 0.15 + 0.82 * Math.pow(random(), 1.6);
    const collateral = Math.max(10, equityNeededForMm / targetRatio - pnl);
    out.collateral.push({ accountId, amount: collateral.toFixed(2), kind: "deposit", idempotencyKey: `sim-deposit:${accountId}` });
  }
  return out;
}
