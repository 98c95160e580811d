import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileMarket, initialMargin, maintenanceMargin, qtyOfLots, tierIndex, type MarketParams } from "@/lib/risk";
import { BTC, ETH, SOL, ZERO_FEE } from "./helpers/markets";

const markets: MarketParams[] = [BTC, ETH, SOL, ZERO_FEE];

describe("tiers, maintenance amounts and margins (spec §2)", () => {
  const btc = compileMarket(BTC);

  it.each([
    [0, 1],
    [49999.99, 1],
    [50000, 1],
    [50000.01, 2],
    [250000, 2],
    [250000.0001, 3],
    [1000000, 3],
    [1000000.5, 4],
    [1e12, 4],
  ])("a notional of %d is in tier %d (a notional exactly on a tier cap belongs to the lower tier)", (notional, tier) => {
    expect(tierIndex(btc, notional) + 1).toBe(tier);
  });

  it("a notional above every cap takes the last tier, even when the last tier has a finite cap", () => {
    const capped = compileMarket({ ...ETH, tiers: ETH.tiers.map((t, k) => (k === 2 ? { ...t, maxNotional: 500000 } : t)) });
    expect(tierIndex(capped, 500000)).toBe(2);
    expect(tierIndex(capped, 5e9)).toBe(2);
    expect(maintenanceMargin(capped, 5e9)).toBeCloseTo(5e9 * 0.02 - (10000 * 0.0015 + 100000 * 0.0135), 3);
  });

  it("maintenance amounts follow cum_1 = 0, cum_k = cum_(k-1) + maxNotional_(k-1) * (mmr_k - mmr_(k-1))", () => {
    // BTC: 0; 50000·0.001 = 50; 50 + 250000·0.005 = 1300; 1300 + 1000000·0.015 = 16300.
    expect([...btc.cum].map((c) => Number(c.toFixed(9)))).toEqual([0, 50, 1300, 16300]);
  });

  it.each(markets.map((m) => [m.id, m] as const))("MM is continuous across every boundary (%s)", (_, params) => {
    const m = compileMarket(params);
    for (let k = 0; k < m.tierCount - 1; k++) {
      const cap = m.caps[k]!;
      const below = cap * m.mmr[k]! - m.cum[k]!; // the lower tier's formula at the cap
      const above = cap * m.mmr[k + 1]! - m.cum[k + 1]!; // the upper tier's formula at the cap
      expect(Math.abs(below - above)).toBeLessThanOrEqual(1e-9 * below);
      expect(maintenanceMargin(m, cap)).toBe(below);
      const h = cap * 1e-9;
      expect(Math.abs(maintenanceMargin(m, cap + h) - maintenanceMargin(m, cap))).toBeLessThan(cap * 1e-9);
    }
  });

  it.each(markets.map((m) => [m.id, m] as const))("MM is convex: its slope never falls (%s)", (_, params) => {
    const m = compileMarket(params);
    let previousSlope = -Infinity;
    for (let n = 1000; n < 5e6; n *= 1.37) {
      const slope = (maintenanceMargin(m, n * 1.01) - maintenanceMargin(m, n)) / (n * 0.01);
      expect(slope).toBeGreaterThanOrEqual(previousSlope - 1e-12);
      previousSlope = slope;
    }
  });

  it.each([
    [48000, 48000 * 0.004, 48000 / 125],
    [180000, 180000 * 0.005 - 50, 180000 / 100],
    [720000, 720000 * 0.01 - 1300, 720000 / 50],
    [2000000, 2000000 * 0.025 - 16300, 2000000 / 20],
  ])("a BTC notional of %d has MM %d and IM %d", (notional, mm, im) => {
    expect(maintenanceMargin(btc, notional)).toBeCloseTo(mm, 9);
    expect(initialMargin(btc, notional)).toBeCloseTo(im, 9);
  });

  it("lot sizes become exact units over a power of ten", () => {
    expect([BTC, ETH, SOL, ZERO_FEE].map((p) => compileMarket(p)).map((m) => [m.lotUnits, m.lotScale, m.lotDecimals])).toEqual([
      [1, 1000, 3],
      [1, 100, 2],
      [1, 10, 1],
      [1, 1, 0],
    ]);
    const quarter = compileMarket({ ...BTC, lotSize: 0.25 });
    expect([quarter.lotUnits, quarter.lotScale]).toEqual([25, 100]);
    const tiny = compileMarket({ ...BTC, lotSize: 1e-7 });
    expect([tiny.lotUnits, tiny.lotScale, tiny.lotDecimals]).toEqual([1, 1e7, 7]);
  });

  it("the quantity of n lots is the lot size's decimal, exactly Number((n × lotSize).toFixed(decimals))", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(1, 5, 0.1, 0.25, 0.01, 0.005, 0.001, 0.0001, 1e-8, 0.3),
        fc.oneof(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 0, max: 2 ** 40 })),
        (lotSize, lots) => {
          const m = compileMarket({ ...BTC, lotSize });
          const decimals = m.lotDecimals;
          expect(qtyOfLots(m, lots)).toBe(Number((lots * lotSize).toFixed(decimals)));
        },
      ),
      { numRuns: 5000 },
    );
  });
});
