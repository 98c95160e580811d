/**
 * A venue-sized book for the ingest benchmarks, generated from a fixed seed so that every run (and
 * the naive baseline within a run) sees the same rows: accounts holding 1–7 positions in distinct
 * demo markets (lib/sim/seed-markets), notionals log-uniform in $100–$2M, entries within ±0.5% of
 * the start price, and collateral that puts each account's margin ratio (MM / equity) between 15%
 * and 97% at the start prices, so that the book starts out of the liquidation queue and drifts
 * into it as prices move.
 */
import { compileMarket, lotsOfQty, maintenanceMargin, qtyOfLots, type CompiledMarket } from "@/lib/risk";
import { roundToTick } from "@/lib/sim/price-path";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { createPrng, logUniform } from "@/lib/sim/prng";

export interface BookPosition {
  accountId: string;
  marketId: string;
  qty: number;
  entryPrice: number;
  seq: number;
}

export interface BookDeposit {
  accountId: string;
  amount: string;
  kind: "deposit";
  idempotencyKey: string;
}

export interface VenueBook {
  positions: BookPosition[];
  deposits: BookDeposit[];
}

const compiled = new Map<string, CompiledMarket>(seedMarkets.map((m) => [m.id, compileMarket({
  id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity,
})]));

/**
 * Exactly `positions` positions (the last account may hold fewer than it drew) in as many accounts
 * as that takes (~positions / 4), ids `${prefix}-0000001`…, each with one deposit.
 */
export function generateVenueBook(positions: number, seed: number, prefix = "acct"): VenueBook {
  const random = createPrng(seed);
  const out: VenueBook = { positions: [], deposits: [] };
  for (let i = 0; out.positions.length < positions; i++) {
    const accountId = `${prefix}-${String(i + 1).padStart(7, "0")}`;
    const legs = Math.min(1 + Math.floor(random() * 7), positions - out.positions.length);
    // A random subset of `legs` distinct markets (partial Fisher–Yates).
    const order = seedMarkets.map((_, k) => k);
    let mm = 0;
    let pnl = 0;
    for (let l = 0; l < legs; l++) {
      const pick = l + Math.floor(random() * (order.length - l));
      [order[l], order[pick]] = [order[pick]!, order[l]!];
      const market = seedMarkets[order[l]!]!;
      const c = compiled.get(market.id)!;
      const mark = market.sim.startPrice;
      const lots = Math.max(1, Math.round(logUniform(random, 100, 2_000_000) / mark / market.lotSize));
      const qty = qtyOfLots(c, lots) * (random() < 0.55 ? 1 : -1);
      const entryPrice = roundToTick(mark * (1 + (random() - 0.5) * 0.01), market.tickSize);
      out.positions.push({ accountId, marketId: market.id, qty, entryPrice, seq: 1 });
      mm += maintenanceMargin(c, Math.abs(qty) * mark);
      pnl += qty * (mark - entryPrice);
    }
    const targetRatio = 0.15 + 0.82 * Math.pow(random(), 1.6);
    const collateral = Math.max(10, mm / targetRatio - pnl);
    out.deposits.push({ accountId, amount: collateral.toFixed(2), kind: "deposit", idempotencyKey: `bench-deposit:${accountId}` });
  }
  return out;
}

/**
 * The next state of every position, as a venue reports a fill: one lot more in the same direction,
 * same entry price, `seq` one higher.
 */
export function positionUpdates(positions: readonly BookPosition[]): BookPosition[] {
  return positions.map((p) => {
    const c = compiled.get(p.marketId)!;
    return { ...p, qty: Math.sign(p.qty) * qtyOfLots(c, lotsOfQty(c, p.qty) + 1), seq: p.seq + 1 };
  });
}

/** Consecutive slices of at most `size` items. */
export function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
