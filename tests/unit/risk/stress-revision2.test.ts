import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseRiskScenario, safeParseRiskScenario } from "@/lib/contracts/risk-scenario";
import { parseStressRequest, safeParseStressRequest } from "@/lib/contracts/stress-request";
import {
  buildMarketBook, evaluateScenario, resolveRiskParams, runCascade, stressAccountsOf, stressTest,
  type MarketParams, type RiskScenario, type StressScenario,
} from "@/lib/risk";
import { scenarioArb } from "./helpers/arbitraries";
import { BTC, ETH } from "./helpers/markets";

/** Spec revision 2: §3 negative collateral, §8 bounded shocks, exponential impact, depth shown and overridable. */

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

const book = (extra: Record<string, unknown> = {}) => ({
  markets: [THIN],
  prices: { THIN: 100 },
  accounts: [
    { id: "A", collateral: 6000, positions: [{ marketId: "THIN", qty: 1000, entryPrice: 100 }] },
    { id: "C", collateral: 1000, positions: [{ marketId: "THIN", qty: -50, entryPrice: 100 }] },
  ],
  shocks: { THIN: -0.1 },
  ...extra,
});

const fieldsOf = (input: unknown) => {
  const r = safeParseStressRequest(input);
  return r.success ? [] : r.fields;
};

/** The statuses at which an account is in the queue (spec §3: at or below maintenance margin). */
const IN_QUEUE = new Set(["liquidatable", "backstop", "bankrupt"]);

describe("negative collateral (spec §3, revision 2)", () => {
  const scenario: RiskScenario = {
    markets: [BTC],
    prices: { "BTC-PERP": 60000 },
    accounts: [
      { id: "debt-flat", collateral: -250.5, positions: [] },
      { id: "debt-long", collateral: -100, positions: [{ marketId: "BTC-PERP", qty: 0.1, entryPrice: 50000 }] },
    ],
  };

  it("evaluate accepts it: a flat account in debt is healthy by status with its debt in equity; with positions it is evaluated like any other", () => {
    expect(safeParseRiskScenario(scenario)).toMatchObject({ success: true });
    const [flat, long] = evaluateScenario(parseRiskScenario(scenario)).accounts;
    expect(flat).toMatchObject({ id: "debt-flat", status: "healthy", equity: -250.5, maintenanceMargin: 0, marginRatio: 0, health: null });
    // equity = −100 + 0.1 · (60000 − 50000) = 900; MM = 6000 · 0.004 = 24.
    expect(long!.equity).toBeCloseTo(900, 9);
    expect(long!.maintenanceMargin).toBeCloseTo(24, 9);
    expect(long!.status).toBe("healthy");
  });

  it("stress accepts it; an account whose debt exceeds its gains is bankrupt and its deficit includes the debt", () => {
    const { shock } = stressTest(parseStressRequest({ ...scenario, accounts: [{ id: "d", collateral: -2000, positions: [{ marketId: "BTC-PERP", qty: 0.1, entryPrice: 50000 }] }], shocks: {} }));
    expect(shock.statusCounts.bankrupt).toBe(1);
    expect(shock.deficits.total).toBeGreaterThan(1000);
  });

  it("a non-finite collateral is still refused, naming the field", () => {
    const bad = JSON.parse(JSON.stringify(scenario).replace("-250.5", "1e999"));
    expect(safeParseRiskScenario(bad)).toMatchObject({ success: false, fields: [{ path: "accounts[0].collateral", message: "must be a finite number (got Infinity)" }] });
  });
});

describe("shocks are bounded to [-0.99, 10] (spec §8)", () => {
  it("accepts the bounds", () => {
    expect(fieldsOf(book({ shocks: { THIN: -0.99 } }))).toEqual([]);
    expect(fieldsOf(book({ shocks: { THIN: 10 } }))).toEqual([]);
  });

  it.each([-1, -0.995, -1.5, 10.01, 1e6])("refuses %s, naming the market's shock and the range", (shock) => {
    expect(fieldsOf(book({ shocks: { THIN: shock } }))).toEqual([
      { path: "shocks.THIN", message: `must be in [-0.99, 10] (a fraction of the mark: −99% to +1000%; got ${shock})` },
    ]);
  });
});

describe("the cascade's impact is exponential (spec §8)", () => {
  it("the mark after a round is mark · exp(−0.01 · net / depth): a flow of 500 depths leaves it positive", () => {
    // Three longs of 1,900,000 notional each (each within the book's depth: a = 0.95 < 1) against
    // 10,000 of depth: 570 depths of net sells, which the linear rule turned into −570% (a tick).
    const s = parseStressRequest({
      markets: [{ ...THIN, liquidity: { halfSpreadBps: 0, depthPer1Pct: 10000 } }],
      prices: { THIN: 100 },
      accounts: ["big1", "big2", "big3"].map((id) => ({ id, collateral: 0, positions: [{ marketId: "THIN", qty: 20000, entryPrice: 100 }] })),
      shocks: { THIN: -0.05 },
    });
    const { cascade } = stressTest(s);
    expect(cascade.heldBeyondDepth).toEqual([]);
    const r1 = cascade.rounds[0]!.markets[0]!;
    expect(r1.netSoldNotional).toBeCloseTo(5700000, 3);
    expect(r1.markAfter).toBe(95 * Math.exp((-0.01 * r1.netSoldNotional) / 10000));
    expect(r1.markAfter).toBeGreaterThan(0);
    expect(cascade.finalMarkChange.THIN).toBe(cascade.finalMarks.THIN! / 100 - 1);
    expect(cascade.finalMarkChange.THIN).toBeGreaterThan(-1);
  });

  it("a flow beyond the floats stops the cascade with the mark kept, never 0 or Infinity", () => {
    const s = parseStressRequest({
      markets: [{ ...THIN, liquidity: { halfSpreadBps: 0, depthPer1Pct: 1 } }],
      prices: { THIN: 100 },
      // 600 shorts of 1 THIN (150 of notional each, a = 0.75: within the depth): 90,000 depths of net buys.
      accounts: Array.from({ length: 600 }, (_, i) => ({ id: `short${i}`, collateral: 0, positions: [{ marketId: "THIN", qty: -1, entryPrice: 100 }] })),
      shocks: { THIN: 0.5 },
    });
    const { cascade } = stressTest(s);
    expect(cascade.heldBeyondDepth).toEqual([]);
    expect(cascade.stoppedBy).toBe("mark_out_of_range");
    expect(cascade.outOfRangeMarkets).toEqual(["THIN"]);
    expect(cascade.finalMarks.THIN).toBe(150);
  });
});

describe("the depth assumption is shown and can be overridden per run (spec §8)", () => {
  it("the result names each market's depth and whether it was overridden", () => {
    const plain = stressTest(parseStressRequest(book()));
    expect(plain.depth).toEqual({ THIN: { depthPer1Pct: 100000, overridden: false } });
    const over = stressTest(parseStressRequest(book({ depthPer1Pct: { THIN: 25000 } })));
    expect(over.depth).toEqual({ THIN: { depthPer1Pct: 25000, overridden: true } });
    // The override is what the impact uses: A sells 90000 at 90.
    const m = over.cascade.rounds[0]!.markets[0]!;
    expect(m.markAfter).toBe(90 * Math.exp((-0.01 * m.netSoldNotional) / 25000));
    expect(m.markAfter).toBeLessThan(plain.cascade.rounds[0]!.markets[0]!.markAfter);
  });

  it("refuses an override for an unknown market, or not finite and within its range, naming the field", () => {
    expect(fieldsOf(book({ depthPer1Pct: { NOPE: 1000 } }))).toEqual([{ path: "depthPer1Pct.NOPE", message: "unknown market NOPE" }]);
    expect(fieldsOf(book({ depthPer1Pct: { THIN: 0 } }))).toEqual([{ path: "depthPer1Pct.THIN", message: "must be between 1 and 1000000000000000000 USD of notional per 1% move (got 0)" }]);
    expect(fieldsOf(book({ depthPer1Pct: { THIN: -5 } }))[0]!.path).toBe("depthPer1Pct.THIN");
    expect(fieldsOf(book({ depthPer1Pct: { THIN: "x" } }))[0]!.path).toBe("depthPer1Pct.THIN");
  });
});

/** Random books whose accounts may carry debt (negative collateral). */
const bookArb = fc
  .tuple(scenarioArb({ maxAccounts: 10 }), fc.array(fc.oneof(fc.constant(0), fc.integer({ min: -500_000, max: 0 }).map((cents) => cents / 100)), { minLength: 10, maxLength: 10 }))
  .map(([s, debts]) => ({ ...s, accounts: s.accounts.map((a, i) => ({ ...a, collateral: a.collateral + debts[i]! })) }));

describe("properties on random books", () => {
  it("with no shock, round 1 liquidates exactly the accounts liquidatable at the current marks (those the live queue would run)", () => {
    fc.assert(
      fc.property(bookArb, (s) => {
        // A plan with a close beyond the book's depth is held (the live queue pauses it), not run.
        const evaluated = evaluateScenario(s).accounts.filter((a) => IN_QUEUE.has(a.status));
        const queued = evaluated.filter((a) => !a.liquidation.closes.some((c) => c.beyondDepth)).map((a) => a.id);
        const markets = buildMarketBook(s.markets);
        const accounts = stressAccountsOf(s.accounts, markets);
        const before = JSON.stringify(accounts.map((a) => a.positions.map((p) => p.lots)));
        const marks = new Map(Object.entries(s.prices));
        const report = runCascade(accounts, markets, marks, resolveRiskParams(s.params), 0, 1);
        const after = accounts.map((a) => a.positions.map((p) => p.lots));
        const changed = accounts.filter((_, i) => JSON.stringify(after[i]) !== JSON.stringify(JSON.parse(before)[i])).map((a) => a.id);
        expect(changed).toEqual(queued);
        expect(report.rounds[0]?.accountsLiquidated ?? 0).toBe(queued.length);
        // And the whole no-shock stress run starts from exactly that queue.
        const { shock, cascade } = stressTest({ ...s, shocks: {} });
        expect(shock.liquidatableAccounts).toBe(evaluated.length);
        expect(cascade.rounds[0]?.accountsLiquidated ?? 0).toBe(queued.length);
      }),
      { numRuns: 300 },
    );
  }, 30_000);

  it("for any shock in range, every mark of every round stays positive and finite", () => {
    fc.assert(
      fc.property(bookArb, fc.double({ min: -0.99, max: 10, noNaN: true }), fc.double({ min: -0.99, max: 10, noNaN: true }), (s, a, b) => {
        const shocks = Object.fromEntries(s.markets.map((m, i) => [m.id, i % 2 === 0 ? a : b]));
        const scenario: StressScenario = { ...s, shocks };
        const { shock, cascade } = stressTest(scenario);
        const ok = (x: number) => x > 0 && Number.isFinite(x);
        for (const m of Object.values(shock.marks)) expect(ok(m)).toBe(true);
        for (const r of cascade.rounds) for (const m of r.markets) expect(ok(m.markAfter)).toBe(true);
        for (const m of Object.values(cascade.finalMarks)) expect(ok(m)).toBe(true);
        // (a fall of e^−37 reads −100% in a float: the change is ≥ −1, the mark itself stays > 0)
        for (const c of Object.values(cascade.finalMarkChange)) expect(c >= -1 && Number.isFinite(c)).toBe(true);
      }),
      { numRuns: 300 },
    );
  }, 30_000);
});

describe("an unshocked book with ETH", () => {
  it("no shock and nobody under maintenance: nothing is liquidated and every mark is unchanged", () => {
    const { cascade } = stressTest(parseStressRequest({
      markets: [BTC, ETH],
      prices: { "BTC-PERP": 60000, "ETH-PERP": 3000 },
      accounts: [{ id: "ok", collateral: 10000, positions: [{ marketId: "ETH-PERP", qty: 10, entryPrice: 3000 }] }],
      shocks: {},
    }));
    expect(cascade.rounds).toEqual([]);
    expect(cascade.finalMarkChange).toEqual({ "BTC-PERP": 0, "ETH-PERP": 0 });
  });
});
