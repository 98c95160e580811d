import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountFiguresColumnar,
  ACCOUNT_STATUSES,
  buildMarketBook,
  evaluateScenario,
  NOT_A_UNIT,
  resolveRiskParams,
  runCascade,
  stressAccountsOf,
  stressTest,
  type AccountEvaluation,
  type RiskScenario,
} from "@/lib/risk";
import { scenarioArb } from "./helpers/arbitraries";
import { refCum, refTier } from "./helpers/reference-model";

/** Properties of spec §11 over random scenarios (fast-check). */
const RUNS = 400;

/** The scenario with some positions made isolated (margin drawn from the position's notional), per `pick`. */
const isolatedArb = scenarioArb().chain((s) =>
  fc
    .record({
      picks: fc.array(fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }), { minLength: s.accounts.length, maxLength: s.accounts.length }),
      shares: fc.array(fc.double({ min: -0.05, max: 1.2, noNaN: true }), { minLength: 4, maxLength: 4 }),
    })
    .map(({ picks, shares }): RiskScenario => ({
      ...s,
      accounts: s.accounts.map((a, i) => ({
        ...a,
        positions: a.positions.map((p, j) => {
          if (!picks[i]![j]) return p;
          const margin = Math.abs(p.qty) * s.prices[p.marketId]! * 0.05 * shares[j]!;
          return { ...p, marginMode: "isolated" as const, isolatedMargin: Math.abs(margin) < 1e-9 ? 0 : margin };
        }),
      })),
    })),
);

const withCollateral = (s: RiskScenario, f: (c: number, i: number) => number): RiskScenario => ({
  ...s,
  accounts: s.accounts.map((a, i) => ({ ...a, collateral: f(a.collateral, i) })),
});

describe("§11 properties", { timeout: 600_000 }, () => {
  it("an isolated position's figures and plan do not change when the cross collateral changes", () => {
    fc.assert(
      fc.property(isolatedArb, fc.integer({ min: -1_000_000, max: 10_000_000 }), (s, delta) => {
        const before = evaluateScenario(s).accounts;
        const after = evaluateScenario(withCollateral(s, (c) => c + delta)).accounts;
        before.forEach((a, i) => {
          a.positions.forEach((p, j) => {
            if (p.marginMode === "isolated") expect(after[i]!.positions[j]).toEqual(p);
          });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("an isolated position is exactly a one-position account whose collateral is its isolatedMargin (spec §11's definition)", () => {
    fc.assert(
      fc.property(isolatedArb, (s) => {
        const result = evaluateScenario(s).accounts;
        s.accounts.forEach((account, i) => {
          account.positions.forEach((p) => {
            if (p.marginMode !== "isolated" || p.qty === 0) return;
            const alone = evaluateScenario({ ...s, accounts: [{ id: "alone", collateral: p.isolatedMargin!, positions: [{ marketId: p.marketId, qty: p.qty, entryPrice: p.entryPrice }] }] }).accounts[0]!;
            const unit = result[i]!.positions.find((x) => x.marketId === p.marketId)!;
            expect(unit.equity).toBe(alone.equity);
            expect(unit.maintenanceMargin).toBe(alone.maintenanceMargin);
            expect(unit.marginRatio).toBe(alone.marginRatio);
            expect(unit.health).toBe(alone.health);
            expect(unit.status).toBe(alone.status);
            expect(unit.liquidationPrice).toBe(alone.positions[0]!.liquidationPrice);
            expect(unit.liquidation).toEqual(alone.liquidation);
          });
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("the cross figures are those of the account without its isolated positions; the status is the worst unit's", () => {
    fc.assert(
      fc.property(isolatedArb, (s) => {
        const result = evaluateScenario(s).accounts;
        const crossOnly = evaluateScenario({ ...s, accounts: s.accounts.map((a) => ({ ...a, positions: a.positions.filter((p) => p.marginMode !== "isolated") })) }).accounts;
        result.forEach((a: AccountEvaluation, i) => {
          const c = crossOnly[i]!;
          expect([a.equity, a.maintenanceMargin, a.initialMargin, a.marginRatio, a.health]).toEqual([c.equity, c.maintenanceMargin, c.initialMargin, c.marginRatio, c.health]);
          expect(a.liquidation).toEqual(c.liquidation);
          expect(a.crossStatus ?? a.status).toBe(c.status);
          const units = [c.status, ...a.positions.flatMap((p) => (p.status ? [p.status] : []))];
          expect(a.status).toBe(ACCOUNT_STATUSES[Math.max(...units.map((u) => ACCOUNT_STATUSES.indexOf(u)))]);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("stress: liquidating isolated units never moves a cross collateral; the fund balance is conserved", () => {
    let liquidatedSomewhere = 0;
    fc.assert(
      fc.property(isolatedArb, fc.double({ min: -0.5, max: 0.5, noNaN: true }), (s0, shock) => {
        // Cross parts funded far beyond any loss: they never liquidate, so their collateral must not move.
        const s = withCollateral(s0, () => 1e12);
        const book = buildMarketBook(s.markets);
        const marks = new Map(s.markets.map((m) => [m.id, s.prices[m.id]! * (1 + shock)]));
        const accounts = stressAccountsOf(s.accounts, book);
        const report = runCascade(accounts, book, marks, resolveRiskParams(s.params), 1000, 5);
        for (const a of accounts) expect(a.collateral).toBe(1e12);
        const t = report.totals;
        if (t.liquidatedNotional > 0) liquidatedSomewhere++;
        expect(report.insuranceFundAfter).toBeCloseTo(1000 + t.fees - t.covered, 6);
        expect(t.covered + t.uncovered).toBeCloseTo(t.deficits, 6);
      }),
      { numRuns: RUNS },
    );
    expect(liquidatedSomewhere).toBeGreaterThan(RUNS / 10); // not vacuous: units were liquidated
  });

  it("maintenanceFeeRate = 0 reproduces §§2–6 exactly: the same output, bit for bit, as a market without the key", () => {
    fc.assert(
      fc.property(isolatedArb, (s) => {
        const zero = { ...s, markets: s.markets.map((m) => ({ ...m, maintenanceFeeRate: 0 })) };
        expect(JSON.stringify(evaluateScenario(zero))).toBe(JSON.stringify(evaluateScenario(s)));
        const shocks = Object.fromEntries(s.markets.map((m) => [m.id, -0.1]));
        expect(JSON.stringify(stressTest({ ...zero, shocks, maxRounds: 3 }))).toBe(JSON.stringify(stressTest({ ...s, shocks, maxRounds: 3 })));
      }),
      { numRuns: RUNS },
    );
  });

  it("with a fee rate f, every position's MM is N·(mmr_k + f) − cum_k, cum from the tiers' own mmr (reference model)", () => {
    fc.assert(
      fc.property(scenarioArb(), fc.double({ min: 0, max: 0.01, noNaN: true }), (s, f) => {
        const withFee = { ...s, markets: s.markets.map((m) => ({ ...m, maintenanceFeeRate: f })) };
        evaluateScenario(withFee).accounts.forEach((a) => {
          for (const p of a.positions) {
            const m = s.markets.find((x) => x.id === p.marketId)!;
            const k = refTier(m, p.notional);
            const expected = p.notional * (m.tiers[k]!.mmr + f) - refCum(m, k);
            expect(Math.abs(p.maintenanceMargin - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, p.notional * m.tiers[k]!.mmr));
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("the columnar figures equal the object API with isolated positions and the fee term", () => {
    fc.assert(
      fc.property(isolatedArb, fc.double({ min: 0, max: 0.002, noNaN: true }), (s0, f) => {
        const s = { ...s0, markets: s0.markets.map((m) => ({ ...m, maintenanceFeeRate: f })) };
        const params = resolveRiskParams(s.params);
        const book = buildMarketBook(s.markets);
        const markets = s.markets.map((m) => book.get(m.id)!);
        const rows = s.accounts.flatMap((a) => a.positions);
        const accountStart = new Int32Array(s.accounts.length + 1);
        s.accounts.reduce((n, a, i) => ((accountStart[i + 1] = n + a.positions.length), n + a.positions.length), 0);
        const n = s.accounts.length;
        const out = { equity: new Float64Array(n), maintenanceMargin: new Float64Array(n), initialMargin: new Float64Array(n), status: new Uint8Array(n), crossStatus: new Uint8Array(n) };
        const posOut = { notional: new Float64Array(rows.length), unrealizedPnl: new Float64Array(rows.length), maintenanceMargin: new Float64Array(rows.length), equity: new Float64Array(rows.length), status: new Uint8Array(rows.length) };
        accountFiguresColumnar(
          markets,
          Float64Array.from(s.markets.map((m) => s.prices[m.id]!)),
          {
            market: Int32Array.from(rows.map((p) => s.markets.findIndex((m) => m.id === p.marketId))),
            qty: Float64Array.from(rows.map((p) => p.qty)),
            entryPrice: Float64Array.from(rows.map((p) => p.entryPrice)),
            isolatedMargin: Float64Array.from(rows.map((p) => (p.marginMode === "isolated" ? p.isolatedMargin! : NaN))),
          },
          { accountStart, collateral: Float64Array.from(s.accounts.map((a) => a.collateral)) },
          out,
          params,
          posOut,
        );
        evaluateScenario(s).accounts.forEach((a, i) => {
          expect([out.equity[i], out.maintenanceMargin[i], out.initialMargin[i]]).toEqual([a.equity, a.maintenanceMargin, a.initialMargin]);
          expect(ACCOUNT_STATUSES[out.status[i]!]).toBe(a.status);
          expect(ACCOUNT_STATUSES[out.crossStatus[i]!]).toBe(a.crossStatus ?? a.status);
          let r = accountStart[i]!;
          for (const p of s.accounts[i]!.positions) {
            if (p.qty !== 0) {
              const figures = a.positions.find((x) => x.marketId === p.marketId)!;
              if (p.marginMode === "isolated") {
                expect(posOut.equity[r]).toBe(figures.equity);
                expect(ACCOUNT_STATUSES[posOut.status[r]!]).toBe(figures.status);
              } else {
                expect(posOut.status[r]).toBe(NOT_A_UNIT);
              }
            }
            r++;
          }
        });
      }),
      { numRuns: RUNS },
    );
  });
});
