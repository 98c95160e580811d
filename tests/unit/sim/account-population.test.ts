import { describe, expect, it } from "vitest";
import { evaluateScenario } from "@/lib/risk";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { seedMarkets } from "@/lib/sim/seed-markets";

describe("the demo account population", () => {
  const prices = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
  const population = generateAccountPopulation({ markets: seedMarkets, prices, count: 2000, seed: 7 });

  it("is reproducible from its seed", () => {
    expect(generateAccountPopulation({ markets: seedMarkets, prices, count: 50, seed: 7 }).positions)
      .toEqual(generateAccountPopulation({ markets: seedMarkets, prices, count: 50, seed: 7 }).positions);
  });

  it("starts out of liquidation, spread from healthy to warning, with positions in whole lots", () => {
    const result = evaluateScenario({
      markets: seedMarkets.map((m) => ({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity })),
      prices: Object.fromEntries(prices),
      accounts: population.collateral.map((c) => ({
        id: c.accountId, collateral: Number(c.amount),
        positions: population.positions.filter((p) => p.accountId === c.accountId).map(({ marketId, qty, entryPrice }) => ({ marketId, qty, entryPrice })),
      })),
    });
    const counts: Record<string, number> = {};
    for (const a of result.accounts) counts[a.status] = (counts[a.status] ?? 0) + 1;
    expect(counts.liquidatable ?? 0).toBe(0);
    expect(counts.backstop ?? 0).toBe(0);
    expect(counts.healthy).toBeGreaterThan(1000);
    expect(counts.warning).toBeGreaterThan(100);
    const large = result.accounts.flatMap((a) => a.positions).filter((p) => p.notional > 100_000);
    expect(large.length).toBeGreaterThan(100);
  });
});
