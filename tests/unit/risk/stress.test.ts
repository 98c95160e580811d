import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseStressRequest } from "@/lib/contracts/stress-request";
import { stressTest, type MarketParams, type StressScenario } from "@/lib/risk";
import { scenarioArb } from "./helpers/arbitraries";
import { BTC, ETH } from "./helpers/markets";
import { refCloseCost, refMM } from "./helpers/reference-model";

/** A thin market: 1% of the mark per 100000 of net notional. */
const THIN: MarketParams = {
  id: "THIN",
  lotSize: 1,
  tickSize: 0.01,
  liquidationFeeRate: 0.001,
  tiers: [
    { maxNotional: 20000, mmr: 0.02, maxLeverage: 25 },
    { maxNotional: null, mmr: 0.05, maxLeverage: 10 },
  ],
  liquidity: { halfSpreadBps: 0, depthPer1Pct: 100000 },
};

const chain = (extra: Partial<StressScenario> = {}): StressScenario =>
  parseStressRequest({
    markets: [THIN],
    prices: { THIN: 100 },
    accounts: [
      // A: 1000 long from 100, 6000 of collateral: at 90 equity −4000, bankrupt.
      { id: "A", collateral: 6000, positions: [{ marketId: "THIN", qty: 1000, entryPrice: 100 }] },
      // B: 100 long from 100: at 90 equity 185 > MM 180 (warning); at 89.1 it is under.
      { id: "B", collateral: 1185, positions: [{ marketId: "THIN", qty: 100, entryPrice: 100 }] },
      // C: a short that gains as the price falls.
      { id: "C", collateral: 1000, positions: [{ marketId: "THIN", qty: -50, entryPrice: 100 }] },
    ],
    shocks: { THIN: -0.1 },
    insuranceFund: 10000,
    ...extra,
  });

describe("shock and cascade (spec §8)", () => {
  it("the shock reports statuses, liquidatable notional, deficits and the fund's cover at the shocked marks", () => {
    const { shock } = stressTest(chain());
    expect(shock.marks).toEqual({ THIN: 90 });
    expect(shock.statusCounts).toEqual({ healthy: 1, warning: 1, liquidatable: 0, backstop: 0, bankrupt: 1 });
    expect(shock.liquidatableAccounts).toBe(1);
    expect(shock.liquidatableNotional).toBe(90000);
    expect(shock.liquidatableNotionalByMarket).toEqual({ THIN: 90000 });
    expect(shock.plannedCloseNotional).toBe(90000);
    // A's deficit: −4000 − (slippage 90000 · 0.005 · 0.9 + fee 90).
    const deficit = 4000 + refCloseCost(THIN, 90000);
    expect(shock.deficits.total).toBeCloseTo(deficit, 9);
    expect(shock.deficits.accounts).toEqual([{ id: "A", deficit: expect.closeTo(deficit, 9) }]);
    expect(shock.insuranceFund).toEqual({
      balanceBefore: 10000,
      fees: 90,
      deficits: expect.closeTo(deficit, 9),
      covered: expect.closeTo(deficit, 9),
      uncovered: 0,
      balanceAfter: expect.closeTo(10000 + 90 - deficit, 9),
    });
  });

  it("a cascade: one liquidation's sells push the mark down into the next account", () => {
    const { cascade } = stressTest(chain());
    expect(cascade.rounds.map((r) => [r.round, r.accountsLiquidated])).toEqual([
      [1, 1],
      [2, 1],
    ]);
    const [r1, r2] = cascade.rounds;
    // Round 1: A sells 90000 at 90: the mark becomes 90 · exp(−0.01 · 90000 / 100000) (spec §8, revision 2).
    expect(r1!.markets).toEqual([
      { marketId: "THIN", markBefore: 90, soldNotional: 90000, boughtNotional: 0, netSoldNotional: 90000, markAfter: 90 * Math.exp(-0.009) },
    ]);
    // Round 2: B at 89.19 has equity 1185 − 1081 = 104 < 2/3 of MM 178.38: closed in full.
    const mark2 = 90 * Math.exp(-0.009);
    expect(1185 + 100 * (mark2 - 100)).toBeLessThan((2 / 3) * refMM(THIN, 100 * mark2));
    expect(r2!.markets[0]!.markBefore).toBe(r1!.markets[0]!.markAfter);
    expect(r2!.markets[0]!.soldNotional).toBeCloseTo(100 * mark2, 9);
    expect(r2!.markets[0]!.markAfter).toBeCloseTo(mark2 * Math.exp((-0.01 * 100 * mark2) / 100000), 12);
    expect(cascade.stoppedBy).toBe("no_liquidations");
    expect(cascade.finalMarks.THIN).toBe(r2!.markets[0]!.markAfter);
    // The change from the pre-shock mark (100), the shock included.
    expect(cascade.finalMarkChange.THIN).toBe(r2!.markets[0]!.markAfter / 100 - 1);
    expect(cascade.totals.accountsLiquidated).toBe(2);
    expect(cascade.totals.liquidatedNotional).toBeCloseTo(90000 + 100 * mark2, 9);
    expect(cascade.totals.liquidatedNotionalByMarket.THIN).toBeCloseTo(90000 + 100 * mark2, 9);
    expect(cascade.finalStatusCounts).toEqual({ healthy: 3, warning: 0, liquidatable: 0, backstop: 0, bankrupt: 0 });
    expect(cascade.insuranceFundAfter).toBeCloseTo(10000 + cascade.totals.fees - cascade.totals.covered, 9);
  });

  it("stops after maxRounds; 0 rounds is the shock alone", () => {
    const one = stressTest(chain({ maxRounds: 1 })).cascade;
    expect(one.rounds).toHaveLength(1);
    expect(one.stoppedBy).toBe("max_rounds");
    expect(one.finalStatusCounts.backstop).toBe(1); // B is left under water
    const none = stressTest(chain({ maxRounds: 0 })).cascade;
    expect(none.rounds).toEqual([]);
    expect(none.finalMarks).toEqual({ THIN: 90 });
  });

  it("a fund too small leaves uncovered bad debt", () => {
    const { cascade } = stressTest(chain({ insuranceFund: 0 }));
    // Round 1: the fund holds only A's fee (90) against A's deficit of over 4000.
    expect(cascade.rounds[0]!.covered).toBe(90);
    expect(cascade.rounds[0]!.uncovered).toBeCloseTo(cascade.rounds[0]!.deficits - 90, 9);
    expect(cascade.rounds[0]!.insuranceFundAfter).toBe(0);
    // Round 2: B ends with positive equity; its fee stays in the fund.
    expect(cascade.rounds[1]!.deficits).toBe(0);
    expect(cascade.insuranceFundAfter).toBeCloseTo(cascade.rounds[1]!.fees, 12);
    expect(cascade.totals.uncovered).toBeGreaterThan(4000);
  });

  it("net buys push the mark up", () => {
    const { cascade } = stressTest(
      parseStressRequest({
        markets: [ETH],
        prices: { "ETH-PERP": 3000 },
        accounts: [{ id: "s", collateral: 2000, positions: [{ marketId: "ETH-PERP", qty: -30, entryPrice: 3000 }] }],
        shocks: { "ETH-PERP": 0.05 },
      }),
    );
    const m = cascade.rounds[0]!.markets[0]!;
    expect(m.boughtNotional).toBeGreaterThan(0);
    expect(m.netSoldNotional).toBeLessThan(0);
    expect(m.markAfter).toBeGreaterThan(m.markBefore);
  });

  it("an unshocked market keeps its mark", () => {
    const result = stressTest(
      parseStressRequest({
        markets: [BTC, ETH],
        prices: { "BTC-PERP": 60000, "ETH-PERP": 3000 },
        accounts: [],
        shocks: { "BTC-PERP": -0.2 },
      }),
    );
    expect(result.shock.marks).toEqual({ "BTC-PERP": 48000, "ETH-PERP": 3000 });
    expect(result.cascade.rounds).toEqual([]);
  });

  it("always: the fund balances, rounds chain their marks, and a finished cascade leaves nobody liquidatable", () => {
    fc.assert(
      fc.property(
        scenarioArb({ maxAccounts: 8 }),
        fc.double({ min: -0.5, max: 0.5, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        (s, move, fund) => {
          const shocks = Object.fromEntries(s.markets.map((m, i) => [m.id, i % 2 === 0 ? move : -move / 2]));
          const { shock, cascade } = stressTest({ ...s, shocks, insuranceFund: fund });
          const count = (c: Record<string, number>) => Object.values(c).reduce((a, b) => a + b, 0);
          expect(count(shock.statusCounts)).toBe(s.accounts.length);
          expect(count(cascade.finalStatusCounts)).toBe(s.accounts.length);
          const t = cascade.totals;
          expect(Math.abs(cascade.insuranceFundAfter - (fund + t.fees - t.covered))).toBeLessThanOrEqual(1e-9 * (fund + t.fees + t.deficits + 1));
          expect(Math.abs(t.covered + t.uncovered - t.deficits)).toBeLessThanOrEqual(1e-9 * (t.deficits + 1));
          expect(cascade.insuranceFundAfter).toBeGreaterThanOrEqual(0);
          expect(cascade.rounds.length).toBeLessThanOrEqual(50);
          const marks = { ...shock.marks };
          for (const r of cascade.rounds) {
            expect(r.accountsLiquidated).toBeGreaterThan(0);
            for (const m of r.markets) {
              const market = s.markets.find((x) => x.id === m.marketId)!;
              expect(m.markBefore).toBe(marks[m.marketId]);
              // The mark becomes mark · exp(−0.01 · net / depth); where that leaves the positive finite
              // numbers (a depth far too thin for the flow) the mark stays and the cascade stops there.
              const impacted = m.markBefore * Math.exp((-0.01 * m.netSoldNotional) / market.liquidity.depthPer1Pct);
              if (cascade.outOfRangeMarkets.includes(m.marketId) && r === cascade.rounds.at(-1)) {
                expect(cascade.stoppedBy).toBe("mark_out_of_range");
                expect(impacted > 0 && impacted < Infinity).toBe(false);
                expect(m.markAfter).toBe(m.markBefore);
              } else expect(m.markAfter).toBe(impacted);
              expect(m.markAfter).toBeGreaterThan(0);
              expect(Number.isFinite(m.markAfter)).toBe(true);
              marks[m.marketId] = m.markAfter;
            }
          }
          expect(cascade.finalMarks).toEqual(marks);
          if (cascade.stoppedBy === "no_liquidations") {
            const f = cascade.finalStatusCounts;
            // Only accounts whose plan is beyond the book's depth are left: the cascade holds them.
            expect(f.liquidatable + f.backstop + f.bankrupt).toBe(cascade.heldBeyondDepth.length);
          }
        },
      ),
      { numRuns: 300 },
    );
  }, 30_000);
});
