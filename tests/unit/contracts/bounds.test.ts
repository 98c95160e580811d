// Issue 15 item 6: within the bounds of lib/risk/bounds.ts every figure of a what-if and of a
// stress test is a finite number (before the bounds, a huge price answered 200 with `equity: null`),
// and every bound is enforced where the contracts read numbers.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BOUNDS } from "@/lib/risk/bounds";
import { ingestCollateralSchema } from "@/lib/contracts/ingest-collateral";
import { priceSchema, timestampSchema } from "@/lib/contracts/ingest-prices";
import { evaluateResponseSchema } from "@/lib/contracts/risk-evaluation";
import { safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { evaluateScenario, stressTest, type MarketParams, type RiskScenario } from "@/lib/risk";

/** Every number in a JSON value is finite (JSON.stringify writes Infinity and NaN as null). */
function nonFinite(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return Number.isFinite(value) ? [] : [`${path}: ${value}`];
  if (Array.isArray(value)) return value.flatMap((v, i) => nonFinite(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => nonFinite(v, `${path}.${k}`));
  return [];
}

/** The bounds themselves, or any double between them (collateral: 0 or at least 1e-18). */
const edge = (min: number, max: number) =>
  fc.oneof(fc.constant(min), fc.constant(max), fc.double({ min, max, noNaN: true }).filter((x) => x === 0 || x >= 1e-18));

const marketArb: fc.Arbitrary<MarketParams> = fc.record({
  depth: edge(BOUNDS.market.depthPer1Pct.min, BOUNDS.market.depthPer1Pct.max),
  leverage: edge(BOUNDS.market.maxLeverage.min, BOUNDS.market.maxLeverage.max),
  cap: edge(1, BOUNDS.market.maxNotional.max),
  mmr: fc.constantFrom(0.001, 0.01, 0.5, 0.999),
}).map((r) => ({
  id: "M",
  lotSize: 0.001,
  tickSize: 0.01,
  liquidationFeeRate: 0,
  tiers: r.cap === BOUNDS.market.maxNotional.max
    ? [{ maxNotional: null, mmr: r.mmr, maxLeverage: r.leverage }]
    : [{ maxNotional: r.cap, mmr: r.mmr, maxLeverage: r.leverage }, { maxNotional: null, mmr: r.mmr, maxLeverage: r.leverage }],
  liquidity: { halfSpreadBps: 9999, depthPer1Pct: r.depth },
}));

const scenarioArb: fc.Arbitrary<RiskScenario> = fc.record({
  market: marketArb,
  price: edge(BOUNDS.price.min, BOUNDS.price.max),
  accounts: fc.array(fc.record({
    collateral: edge(0, BOUNDS.collateral.maxAbs),
    lots: fc.oneof(fc.constant(BOUNDS.qty.maxAbs * 1000), fc.integer({ min: 1, max: 1e12 })),
    long: fc.boolean(),
    entry: edge(BOUNDS.price.min, BOUNDS.price.max),
  }), { minLength: 1, maxLength: 3 }),
}).map((r) => ({
  markets: [r.market],
  prices: { M: r.price },
  accounts: r.accounts.map((a, i) => ({
    id: `a${i}`, collateral: a.collateral, positions: [{ marketId: "M", qty: ((a.long ? 1 : -1) * a.lots) / 1000, entryPrice: a.entry }],
  })),
}));

describe("bounds keep every figure finite", () => {
  it("evaluate: any scenario within the bounds is valid and every figure is a finite number", () => {
    fc.assert(fc.property(scenarioArb, (scenario) => {
      const parsed = safeParseRiskScenario(JSON.parse(JSON.stringify(scenario)));
      expect(parsed.success, JSON.stringify(parsed)).toBe(true);
      const result = evaluateScenario(scenario);
      expect(nonFinite(result)).toEqual([]);
      expect(evaluateResponseSchema.safeParse(JSON.parse(JSON.stringify(result))).success).toBe(true);
    }), { numRuns: 300, seed: 15 });
  });

  it("stress: the same scenarios shocked by −99% … +900% keep every figure finite", () => {
    fc.assert(fc.property(scenarioArb, fc.constantFrom(-0.99, -0.5, 0, 1, 9), (scenario, shock) => {
      const result = stressTest({ ...scenario, shocks: { M: shock }, insuranceFund: BOUNDS.collateral.maxAbs, maxRounds: 5 });
      expect(nonFinite(result)).toEqual([]);
    }), { numRuns: 150, seed: 15 });
  });

  it("one past each bound is refused", () => {
    const base = fc.sample(scenarioArb, { numRuns: 1, seed: 3 })[0]!;
    const refused = (change: (s: { prices: Record<string, number>; accounts: { collateral: number; positions: { qty: number; entryPrice: number }[] }[] }) => void) => {
      const s = JSON.parse(JSON.stringify(base));
      change(s);
      return safeParseRiskScenario(s).success === false;
    };
    expect(refused((s) => (s.prices.M = BOUNDS.price.max * 1.000001))).toBe(true);
    expect(refused((s) => (s.prices.M = BOUNDS.price.min / 2))).toBe(true);
    expect(refused((s) => (s.accounts[0]!.collateral = BOUNDS.collateral.maxAbs * 1.000001))).toBe(true);
    expect(refused((s) => (s.accounts[0]!.positions[0]!.qty = BOUNDS.qty.maxAbs + 1))).toBe(true);
    expect(refused((s) => (s.accounts[0]!.positions[0]!.entryPrice = 1e300))).toBe(true);
    expect(refused((s) => (s.accounts[0]!.collateral = 5e-324))).toBe(true);
    expect(priceSchema.safeParse(BOUNDS.price.max).success).toBe(true);
    expect(priceSchema.safeParse(BOUNDS.price.max + 1).success).toBe(false);
    expect(priceSchema.safeParse(1e-30).success).toBe(false);
    expect(timestampSchema.safeParse(BOUNDS.ts.max).success).toBe(true);
    expect(timestampSchema.safeParse(BOUNDS.ts.max + 1).success).toBe(false);
    const entry = (amount: string) => ingestCollateralSchema.safeParse({ entries: [{ accountId: "a", amount, kind: "adjustment", idempotencyKey: "k" }] }).success;
    expect(entry("1000000000000000")).toBe(true);
    expect(entry("-1000000000000000")).toBe(true);
    expect(entry("1000000000000000.000001")).toBe(false);
  });
});
