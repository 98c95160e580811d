import { describe, expect, it } from "vitest";
import { evaluateScenario, stressTest } from "@/lib/risk";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { seedMarkets } from "@/lib/sim/seed-markets";

const bookOf = (population: ReturnType<typeof generateAccountPopulation>) => population.collateral.map((c) => ({
  id: c.accountId, collateral: Number(c.amount),
  positions: population.positions.filter((p) => p.accountId === c.accountId).map(({ marketId, qty, entryPrice }) => ({ marketId, qty, entryPrice })),
}));

describe("the demo account population", () => {
  const prices = new Map(seedMarkets.map((m) => [m.id, m.sim.startPrice]));
  const population = generateAccountPopulation({ markets: seedMarkets, prices, count: 2000, seed: 7 });

  it("is reproducible from its seed", () => {
    expect(generateAccountPopulation({ markets: seedMarkets, prices, count: 50, seed: 7 }).positions)
      .toEqual(generateAccountPopulation({ markets: seedMarkets, prices, count: 50, seed: 7 }).positions);
  });

  const markets = seedMarkets.map((m) => ({ id: m.id, lotSize: m.lotSize, tickSize: m.tickSize, liquidationFeeRate: m.liquidationFeeRate, tiers: m.tiers, liquidity: m.liquidity }));
  const scenario = {
    markets,
    prices: Object.fromEntries(prices),
    accounts: bookOf(population),
  };
  const IN_QUEUE = new Set(["liquidatable", "backstop", "bankrupt"]);

  it("looks like a venue on a calm day: nobody in the queue, about 0.5% in warning, large positions present, in whole lots", () => {
    const result = evaluateScenario(scenario);
    const counts: Record<string, number> = {};
    for (const a of result.accounts) counts[a.status] = (counts[a.status] ?? 0) + 1;
    expect(counts.liquidatable ?? 0).toBe(0);
    expect(counts.backstop ?? 0).toBe(0);
    expect(counts.bankrupt ?? 0).toBe(0);
    expect(counts.healthy).toBeGreaterThan(0.97 * 2000);
    expect(counts.warning).toBeGreaterThan(0);
    expect(counts.warning).toBeLessThan(0.02 * 2000);
    const large = result.accounts.flatMap((a) => a.positions).filter((p) => p.notional > 100_000);
    expect(large.length).toBeGreaterThan(100);
  });

  it("each market's depth for 1% is 2–6% of its open interest (the calibration rule, docs/RISK-NOTES.md)", () => {
    const result = evaluateScenario(scenario);
    const oi: Record<string, number> = {};
    for (const a of result.accounts) for (const p of a.positions) oi[p.marketId] = (oi[p.marketId] ?? 0) + p.notional;
    for (const m of seedMarkets) {
      const share = m.liquidity.depthPer1Pct / oi[m.id]!;
      expect(share, m.id).toBeGreaterThan(0.02);
      expect(share, m.id).toBeLessThan(0.06);
      // No single position is larger than the market absorbs for a 1% move.
      for (const a of result.accounts) for (const p of a.positions) if (p.marketId === m.id) expect(p.notional).toBeLessThan(m.liquidity.depthPer1Pct);
    }
  });

  it("with no shock the cascade liquidates nobody; after a calm move it liquidates no more than the queue at the moved marks", () => {
    expect(stressTest({ ...scenario, shocks: {} }).cascade.totals.accountsLiquidated).toBe(0);
    // A calm day's move of one market: the queue holds a few accounts, and a no-shock cascade from
    // those marks (spec §8) liquidates exactly them, without setting off more.
    // The server's default seed too (LIQDESK_SIM_SEED): tests/e2e/desk-stress-demo-book.test.ts runs its BTC-PERP −2%.
    const serverBook = { ...scenario, accounts: bookOf(generateAccountPopulation({ markets: seedMarkets, prices, count: 2000, seed: 20261122 })) };
    for (const [book, id, move] of [
      [scenario, "BTC-PERP", -0.02], [scenario, "BTC-PERP", 0.02], [scenario, "ETH-PERP", -0.02], [scenario, "DOGE-PERP", -0.02],
      [scenario, "SOL-PERP", 0.02], [serverBook, "BTC-PERP", -0.02],
    ] as const) {
      const moved = { ...book, prices: { ...book.prices, [id]: book.prices[id]! * (1 + move) } };
      const queue = evaluateScenario(moved).accounts.filter((a) => IN_QUEUE.has(a.status)).length;
      expect(queue, `${id} ${move}`).toBeLessThan(0.01 * 2000);
      const { cascade } = stressTest({ ...moved, shocks: {} });
      expect(cascade.rounds[0]?.accountsLiquidated ?? 0, `${id} ${move}`).toBe(queue);
      expect(cascade.totals.accountsLiquidated, `${id} ${move}`).toBeLessThanOrEqual(queue);
    }
  });
});
