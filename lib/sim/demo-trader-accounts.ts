import { compileMarket, maintenanceMargin, qtyOfLots, type CompiledMarket } from "@/lib/risk";
import { roundToTick } from "./price-path";
import type { SeedMarket } from "./seed-markets";
import type { Population } from "./account-population";

/** The demo traders' own accounts (trader-a: comfortable; trader-b: in warning). */
export const DEMO_TRADER_ACCOUNTS = { comfortable: "demo-trader-a", warning: "demo-trader-b" } as const;

/** Comfortable: long BTC and ETH with collateral above the notional (no leverage): only a fall of nearly 100% reaches the queue. */
const COMFORTABLE_LEGS: { marketId: string; notional: number }[] = [
  { marketId: "BTC-PERP", notional: 30_000 },
  { marketId: "ETH-PERP", notional: 15_000 },
];
const COMFORTABLE_COLLATERAL = 50_000;

/**
 * In warning: long the alt markets, each leg weighted by 1 / volatility² (the least variance of
 * equity for its maintenance margin) and above `largeNotional` so that every liquidation step is
 * capped (partial, never the whole position at once), with collateral putting the margin ratio at
 * WARNING_RATIO: a fall of the basket of a few percent takes it into the queue, the venue's
 * partial steps take it out again, and it keeps its positions (tests/unit/sim/demo-trader-accounts.test.ts
 * runs it through the simulator's price paths).
 */
const WARNING_MARKETS = ["SOL-PERP", "BNB-PERP", "XRP-PERP", "DOGE-PERP", "AVAX-PERP", "LINK-PERP"];
const WARNING_LEG_NOTIONAL = 1_000_000;
export const WARNING_RATIO = 0.82;
const WARNING_SIDE = 1;

/**
 * The two demo traders' accounts at the current marks (`prices`; a market's start price while it
 * has none), in the shape of the demo population (fed through the same ingest paths).
 */
export function demoTraderAccounts(markets: SeedMarket[], prices: Map<string, number>): Population {
  const byId = new Map(markets.map((m) => [m.id, m]));
  const out: Population = { positions: [], collateral: [] };
  const leg = (accountId: string, m: SeedMarket, c: CompiledMarket, notional: number, side: 1 | -1) => {
    const mark = prices.get(m.id) ?? m.sim.startPrice;
    const qty = side * qtyOfLots(c, Math.max(1, Math.round(notional / mark / m.lotSize)));
    out.positions.push({ accountId, marketId: m.id, qty, entryPrice: roundToTick(mark, m.tickSize), seq: 1 });
    return { mm: maintenanceMargin(c, Math.abs(qty) * mark) };
  };
  const compiled = (m: SeedMarket) => compileMarket({
    id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity,
  });
  const deposit = (accountId: string, amount: number) =>
    out.collateral.push({ accountId, amount: amount.toFixed(2), kind: "deposit", idempotencyKey: `sim-deposit:${accountId}` });

  const comfortable = COMFORTABLE_LEGS.filter((l) => byId.has(l.marketId));
  for (const l of comfortable) leg(DEMO_TRADER_ACCOUNTS.comfortable, byId.get(l.marketId)!, compiled(byId.get(l.marketId)!), l.notional, 1);
  if (comfortable.length) deposit(DEMO_TRADER_ACCOUNTS.comfortable, COMFORTABLE_COLLATERAL);

  const basket = WARNING_MARKETS.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
  if (basket.length) {
    let mm = 0;
    for (const m of basket) mm += leg(DEMO_TRADER_ACCOUNTS.warning, m, compiled(m), WARNING_LEG_NOTIONAL, WARNING_SIDE).mm;
    // Entries at the mark: equity is the collateral.
    deposit(DEMO_TRADER_ACCOUNTS.warning, mm / WARNING_RATIO);
  }
  return out;
}
