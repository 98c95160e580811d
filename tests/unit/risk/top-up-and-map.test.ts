import { describe, expect, it } from "vitest";
import { evaluateScenario, liquidationMap, smallestAmountAbove, topUpToSafe } from "@/lib/risk";
import { BTC, PRICES } from "./helpers/markets";

describe("top-up to safe", () => {
  // 0.8 BTC at 60000 bought at 60800: MM 192, equity = collateral − 640.
  const evaluate = (collateral: number) =>
    evaluateScenario({
      markets: [BTC],
      prices: { "BTC-PERP": PRICES["BTC-PERP"] },
      accounts: [{ id: "t", collateral, positions: [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60800 }] }],
    }).accounts[0]!;

  it("out of the queue: the amount lands exactly on ratio 1, still liquidatable; a cent more leaves the queue", () => {
    const a = evaluate(700); // equity 60
    const amount = topUpToSafe(a.equity, a.maintenanceMargin, 1);
    expect(amount).toBeCloseTo(132, 9); // 192 / 1 − 60
    const paid = smallestAmountAbove(amount, 0.01);
    expect(evaluate(700 + paid).status).toBe("warning");
    expect(evaluate(700 + 132).status).toBe("liquidatable"); // on the line: equity == MM
  });

  it("healthy: the amount lands exactly on warnRatio; a cent more is healthy", () => {
    const a = evaluate(700);
    const amount = topUpToSafe(a.equity, a.maintenanceMargin, 0.8);
    expect(amount).toBeCloseTo(192 / 0.8 - 60, 9);
    expect(evaluate(700 + 180).status).toBe("warning"); // 192 / 240 = 0.8 exactly: warning
    expect(evaluate(700 + smallestAmountAbove(amount, 0.01)).status).toBe("healthy");
  });

  it("an amount a hair under a whole cent is paid as the next cent: the ratio lands strictly below (fast-check counterexample)", () => {
    // A short whose uPnL nearly cancels its collateral: equity 1,355.4 − 1,350 carries float noise.
    const s = {
      markets: [{ id: "M0", lotSize: 0.005, tickSize: 0.01, liquidationFeeRate: 0, tiers: [{ maxNotional: 1000, mmr: 0.002, maxLeverage: 250 }], liquidity: { halfSpreadBps: 0, depthPer1Pct: 10000 } }],
      prices: { M0: 99999.99999996168 },
      params: { warnRatio: 0.5, targetBuffer: 0, maxStepFraction: 0.05, largeNotional: 0, backstopFraction: 0.3 },
    };
    const target = 1.4999999999999143;
    const at = (collateral: number) => evaluateScenario({ ...s, accounts: [{ id: "a", collateral, positions: [{ marketId: "M0", qty: -0.045, entryPrice: 69999.99999997318 }] }] }).accounts[0]!;
    const before = at(1355.3999999994808);
    const amount = topUpToSafe(before.equity, before.maintenanceMargin, target);
    const paid = smallestAmountAbove(amount, 0.01);
    expect(at(1355.3999999994808 + paid).marginRatio!).toBeLessThan(target);
    expect(smallestAmountAbove(0.59999999999996, 0.01)).toBe(0.61);
    expect(smallestAmountAbove(0.5999, 0.01)).toBe(0.6);
  });

  it("a bankrupt account needs its deficit back plus the margin", () => {
    const a = evaluate(500); // equity −140
    expect(topUpToSafe(a.equity, a.maintenanceMargin, 1)).toBeCloseTo(332, 9);
  });

  it("nothing for an account already below the ratio, or without positions", () => {
    expect(topUpToSafe(1000, 192, 0.8)).toBe(0);
    expect(topUpToSafe(240, 192, 0.8)).toBe(0); // exactly on it: any amount > 0 goes below
    expect(topUpToSafe(-50, 0, 1)).toBe(0);
    expect(() => topUpToSafe(1, 1, 0)).toThrow(RangeError);
  });

  it("the amount actually paid is the next whole unit strictly above", () => {
    expect(smallestAmountAbove(132, 0.01)).toBe(132.01);
    expect(smallestAmountAbove(131.999, 0.01)).toBe(132);
    expect(smallestAmountAbove(0, 0.01)).toBe(0.01);
    expect(smallestAmountAbove(0.3, 0.1)).toBe(0.4);
  });
});

describe("liquidation map (spec §9)", () => {
  const positions = [
    { marketId: "BTC-PERP", qty: 1, notional: 60000, liquidationPrice: 57000 }, // −5%
    { marketId: "BTC-PERP", qty: 2, notional: 120000, liquidationPrice: 57100 }, // same bucket
    { marketId: "BTC-PERP", qty: -1, notional: 60000, liquidationPrice: 63000 }, // +5%
    { marketId: "BTC-PERP", qty: 1, notional: 60000, liquidationPrice: 30000 }, // below −30%
    { marketId: "BTC-PERP", qty: -1, notional: 60000, liquidationPrice: 78000 }, // exactly +30%: above
    { marketId: "BTC-PERP", qty: 1, notional: 60000, liquidationPrice: null },
    { marketId: "ETH-PERP", qty: 1, notional: 3000, liquidationPrice: 57000 }, // other market
  ];
  const map = liquidationMap("BTC-PERP", 60000, positions);

  it("has 120 buckets of 0.5% of the mark over ±30%", () => {
    expect(map.buckets).toHaveLength(120);
    expect(map.bucketWidth).toBe(300);
    expect(map.buckets[0]!.priceFrom).toBeCloseTo(42000, 9);
    expect(map.buckets[119]!.priceTo).toBeCloseTo(78000, 9);
  });

  it("puts each position's notional in the bucket of its liquidation price, longs and shorts apart", () => {
    // 57000 and 57100 are in [57000, 57300): bucket (57000 − 42000) / 300 = 50.
    expect(map.buckets[50]).toMatchObject({ longNotional: 180000, longCount: 2, shortNotional: 0 });
    // 63000: bucket 70.
    expect(map.buckets[70]).toMatchObject({ shortNotional: 60000, shortCount: 1, longNotional: 0 });
    expect(map.belowRange).toEqual({ longNotional: 60000, shortNotional: 0 });
    expect(map.aboveRange).toEqual({ longNotional: 0, shortNotional: 60000 });
    expect(map.withoutPrice).toEqual({ longNotional: 60000, shortNotional: 0 });
    const total = map.buckets.reduce((s, b) => s + b.longNotional + b.shortNotional, 0);
    expect(total).toBe(240000);
  });
});
