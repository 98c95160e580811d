import { stressTest } from "@/lib/risk";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { seedMarkets } from "@/lib/sim/seed-markets";
const prices = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
for (const seed of [7, 3, 11]) {
const pop = generateAccountPopulation({ markets: seedMarkets, prices, count: 2000, seed });
const markets = seedMarkets.map((m) => ({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity }));
const accounts = pop.collateral.map((c) => ({ id: c.accountId, collateral: Number(c.amount), positions: pop.positions.filter((p) => p.accountId === c.accountId).map(({ marketId, qty, entryPrice }) => ({ marketId, qty, entryPrice })) }));
const sc = { markets, prices: Object.fromEntries(prices), accounts };
const out: string[] = [];
for (const [id, move] of [["BTC-PERP", -0.01], ["BTC-PERP", -0.02], ["BTC-PERP", -0.03], ["BTC-PERP", 0.02], ["SOL-PERP", -0.03], ["ALL", -0.01], ["ALL", 0.01]] as const) {
  const shocks = id === "ALL" ? Object.fromEntries(seedMarkets.map((m) => [m.id, move])) : { [id]: move };
  const s = stressTest({ ...sc, shocks, insuranceFund: 1_000_000 });
  out.push(`${id}${move}: ${s.shock.liquidatableAccounts}->${s.cascade.totals.accountsLiquidated}`);
}
console.log(seed, out.join("  "));
}
