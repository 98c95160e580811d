import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accountFigures,
  accountFiguresColumnar,
  ACCOUNT_STATUSES,
  buildMarketBook,
  evaluateScenario,
  liquidationMap,
  resolveRiskParams,
  smallestAmountAbove,
  stepCapLots,
  topUpToSafe,
  type MarketParams,
  type RiskScenario,
} from "@/lib/risk";
import { scenarioArb } from "./helpers/arbitraries";
import { bruteForceSmallestLots } from "./helpers/brute-force";
import { refAccount, refCloseCost, refLots, refMM, refQty, type RefPosition } from "./helpers/reference-model";

// 1000 scenarios of 1–3 accounts per property (a few thousand accounts each) keep the file near two
// seconds; raise locally for a deeper search (20000 passes in about 30 s).
const RUNS = 1000;
const TOL = 1e-9;

function refPositions(s: RiskScenario, account: RiskScenario["accounts"][number], marks: Record<string, number> = s.prices): RefPosition[] {
  return account.positions
    .filter((p) => p.qty !== 0)
    .map((p) => ({ market: s.markets.find((m) => m.id === p.marketId)!, qty: p.qty, entryPrice: p.entryPrice, markPrice: marks[p.marketId]! }));
}

describe("properties of the risk model (fast-check, random accounts)", { timeout: 600_000 }, () => {
  it("at the liquidation price, equity equals maintenance margin; null only where no positive price qualifies", () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const result = evaluateScenario(s);
        result.accounts.forEach((a, i) => {
          const account = s.accounts[i]!;
          for (const p of a.positions) {
            const input = account.positions.find((x) => x.marketId === p.marketId)!;
            if (p.liquidationPrice === null) {
              // At price 0 this position's MM is 0: a long must be at or above it, a short at or below.
              const at0 = refAccount(account.collateral, refPositions(s, account, { ...s.prices, [p.marketId]: 0 }));
              const gap = at0.equity - at0.mm;
              if (p.qty > 0) expect(gap).toBeGreaterThanOrEqual(-TOL * at0.scale);
              else expect(gap).toBeLessThanOrEqual(TOL * at0.scale);
              continue;
            }
            expect(p.liquidationPrice).toBeGreaterThan(0);
            const at = refAccount(account.collateral, refPositions(s, account, { ...s.prices, [p.marketId]: p.liquidationPrice }));
            expect(Math.abs(at.equity - at.mm), `${a.id} ${p.marketId} at ${p.liquidationPrice} (entry ${input.entryPrice})`).toBeLessThanOrEqual(TOL * at.scale);
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("a partial plan meets the target and one lot less does not; a leg is closed whole only when no part of it restores", () => {
    let partials = 0;
    let bruteForced = 0;
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const params = resolveRiskParams(s.params);
        const k = 1 + params.targetBuffer;
        const result = evaluateScenario(s);
        result.accounts.forEach((a, i) => {
          if (a.liquidation.mode !== "partial") return;
          partials++;
          const positions = refPositions(s, s.accounts[i]!);
          let equity = a.equity;
          const mm = new Map(positions.map((p) => [p.market.id, refMM(p.market, Math.abs(p.qty) * p.markPrice)]));
          a.liquidation.closes.forEach((close, c) => {
            const p = positions.find((x) => x.market.id === close.marketId)!;
            const lots = refLots(p.market, p.qty);
            const n = refLots(p.market, close.qty);
            let rest = 0;
            for (const [id, v] of mm) if (id !== close.marketId) rest += v;
            const surplus = (x: number) =>
              equity - refCloseCost(p.market, refQty(p.market, x) * p.markPrice) - k * (rest + refMM(p.market, refQty(p.market, lots - x) * p.markPrice));
            const scale = Math.abs(equity) + k * (rest + refMM(p.market, Math.abs(p.qty) * p.markPrice)) + Math.abs(p.qty) * p.markPrice * 1e-3;
            const last = c === a.liquidation.closes.length - 1;
            if (surplus(n) >= 0) {
              expect(last).toBe(true);
              expect(surplus(n - 1)).toBeLessThan(TOL * scale); // one lot less does not meet the target
              if (lots <= 3000) {
                bruteForced++;
                expect(n).toBe(bruteForceSmallestLots(p.market, lots, p.markPrice, equity, rest, params.targetBuffer));
              }
            } else {
              expect(surplus(n)).toBeLessThan(TOL * scale);
              expect(n).toBe(lots); // not restoring: the whole leg
              if (lots <= 3000) {
                bruteForced++;
                expect(bruteForceSmallestLots(p.market, lots, p.markPrice, equity, rest, params.targetBuffer)).toBe(0);
              }
              if (last) expect(a.liquidation.closes).toHaveLength(positions.length);
            }
            equity -= refCloseCost(p.market, close.notional);
            mm.set(close.marketId, refMM(p.market, refQty(p.market, lots - n) * p.markPrice));
          });
          const { after } = a.liquidation;
          expect(Math.abs(after.equity - equity)).toBeLessThanOrEqual(TOL * (Math.abs(equity) + a.maintenanceMargin));
          if (after.maintenanceMargin > 0) expect(after.equity).toBeGreaterThanOrEqual(k * after.maintenanceMargin);
          expect(a.liquidation.deficit).toBe(Math.max(0, -after.equity));
        });
      }),
      { numRuns: RUNS },
    );
    expect(partials).toBeGreaterThan(RUNS / 10);
    expect(bruteForced).toBeGreaterThan(RUNS / 20);
  });

  it("no close exceeds its position; closes are whole lots on the closing side; the step never exceeds its close", () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const params = resolveRiskParams(s.params);
        const byId = new Map<string, MarketParams>(s.markets.map((m) => [m.id, m]));
        evaluateScenario(s).accounts.forEach((a) => {
          const { mode, closes, nextStep } = a.liquidation;
          const held = new Map(a.positions.map((p) => [p.marketId, p.qty]));
          const seen = new Set<string>();
          for (const c of closes) {
            const qty = held.get(c.marketId)!;
            const m = byId.get(c.marketId)!;
            expect(seen.has(c.marketId)).toBe(false);
            seen.add(c.marketId);
            expect(c.qty).toBeGreaterThan(0);
            expect(c.qty).toBeLessThanOrEqual(Math.abs(qty));
            expect(refQty(m, refLots(m, c.qty))).toBe(c.qty);
            expect(c.side).toBe(qty > 0 ? "sell" : "buy");
            if (mode === "full") expect(c.qty).toBe(Math.abs(qty));
          }
          if (mode === "none") expect([closes.length, nextStep]).toEqual([0, null]);
          if (mode === "full") expect(closes).toHaveLength(a.positions.length);
          if (mode !== "none") {
            expect(nextStep!.marketId).toBe(closes[0]!.marketId);
            expect(nextStep!.qty).toBeLessThanOrEqual(closes[0]!.qty);
            if (nextStep!.qty < closes[0]!.qty) {
              const m = byId.get(nextStep!.marketId)!;
              const position = a.positions.find((p) => p.marketId === nextStep!.marketId)!;
              expect(mode).toBe("partial");
              expect(position.notional).toBeGreaterThan(params.largeNotional);
              expect(refLots(m, nextStep!.qty)).toBe(stepCapLots(refLots(m, position.qty), params.maxStepFraction));
            }
          }
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("health and marginRatio are reciprocal where both are defined; the mode follows the status", () => {
    const statuses = new Set<string>();
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        evaluateScenario(s).accounts.forEach((a) => {
          statuses.add(a.status);
          if (a.marginRatio !== null && a.health !== null) expect(Math.abs(a.marginRatio * a.health - 1)).toBeLessThan(1e-12);
          if (a.positions.length > 0) expect(a.marginRatio === null).toBe(a.equity <= 0);
          const expectedMode = { healthy: "none", warning: "none", liquidatable: "partial", backstop: "full", bankrupt: "full" }[a.status];
          expect(a.liquidation.mode).toBe(expectedMode);
        });
      }),
      { numRuns: RUNS },
    );
    expect([...statuses].sort()).toEqual([...ACCOUNT_STATUSES].sort());
  });

  it("top-up to safe lands exactly on the requested ratio, and one cent more lands strictly below it", () => {
    fc.assert(
      fc.property(scenarioArb({ maxAccounts: 1 }), fc.double({ min: 0.05, max: 1.5, noNaN: true }), (s, ratio) => {
        const params = resolveRiskParams(s.params);
        const book = buildMarketBook(s.markets);
        const marks = new Map(Object.entries(s.prices));
        const account = s.accounts[0]!;
        const before = accountFigures(account, book, marks, params);
        const amount = topUpToSafe(before.equity, before.maintenanceMargin, ratio);
        expect(amount).toBeGreaterThanOrEqual(0);
        const after = accountFigures({ ...account, collateral: account.collateral + amount }, book, marks, params);
        if (before.positions.length === 0) {
          expect(amount).toBe(0);
          return;
        }
        if (amount === 0) {
          expect(before.marginRatio).not.toBeNull();
          expect(before.marginRatio!).toBeLessThanOrEqual(ratio);
          return;
        }
        const pnl = before.positions.reduce((sum, p) => sum + Math.abs(p.unrealizedPnl), 0);
        const scale = account.collateral + amount + pnl + after.maintenanceMargin / ratio;
        expect(Math.abs(after.equity - after.maintenanceMargin / ratio)).toBeLessThanOrEqual(1e-12 * scale);
        expect(Math.abs(after.marginRatio! - ratio)).toBeLessThanOrEqual(1e-9 * ratio * (scale / (after.maintenanceMargin / ratio)));
        const paid = smallestAmountAbove(amount, 0.01);
        expect(paid).toBeGreaterThan(amount);
        expect(paid - amount).toBeLessThanOrEqual(0.01 + 1e-8 + 1e-9 * paid); // a cent, and smallestAmountAbove's margin over float noise
        const safe = accountFigures({ ...account, collateral: account.collateral + paid }, book, marks, params);
        expect(safe.marginRatio!).toBeLessThan(ratio);
      }),
      { numRuns: RUNS },
    );
  });

  it("columnar figures equal the object API's, bit for bit", () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        const params = resolveRiskParams(s.params);
        const book = buildMarketBook(s.markets);
        const compiled = s.markets.map((m) => book.get(m.id)!);
        const index = new Map(s.markets.map((m, i) => [m.id, i]));
        const rows = s.accounts.flatMap((a) => a.positions);
        const accountStart = new Int32Array(s.accounts.length + 1);
        s.accounts.forEach((a, i) => (accountStart[i + 1] = accountStart[i]! + a.positions.length));
        const out = {
          equity: new Float64Array(s.accounts.length),
          maintenanceMargin: new Float64Array(s.accounts.length),
          initialMargin: new Float64Array(s.accounts.length),
          status: new Uint8Array(s.accounts.length),
        };
        accountFiguresColumnar(
          compiled,
          Float64Array.from(s.markets.map((m) => s.prices[m.id]!)),
          {
            market: Int32Array.from(rows.map((p) => index.get(p.marketId)!)),
            qty: Float64Array.from(rows.map((p) => p.qty)),
            entryPrice: Float64Array.from(rows.map((p) => p.entryPrice)),
          },
          { accountStart, collateral: Float64Array.from(s.accounts.map((a) => a.collateral)) },
          out,
          params,
        );
        const marks = new Map(Object.entries(s.prices));
        s.accounts.forEach((a, i) => {
          const f = accountFigures(a, book, marks, params);
          expect([out.equity[i], out.maintenanceMargin[i], out.initialMargin[i], ACCOUNT_STATUSES[out.status[i]!]]).toEqual([
            f.equity,
            f.maintenanceMargin,
            f.initialMargin,
            f.status,
          ]);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it("the liquidation map accounts for every position's notional, longs and shorts apart", () => {
    fc.assert(
      fc.property(scenarioArb({ maxAccounts: 6 }), (s) => {
        const result = evaluateScenario(s);
        const positions = result.accounts.flatMap((a) => a.positions);
        for (const m of s.markets) {
          const map = liquidationMap(m.id, s.prices[m.id]!, positions);
          expect(map.buckets).toHaveLength(120);
          let long = map.belowRange.longNotional + map.aboveRange.longNotional + map.withoutPrice.longNotional;
          let short = map.belowRange.shortNotional + map.aboveRange.shortNotional + map.withoutPrice.shortNotional;
          for (const b of map.buckets) {
            long += b.longNotional;
            short += b.shortNotional;
          }
          const mine = positions.filter((p) => p.marketId === m.id);
          const wantLong = mine.filter((p) => p.qty > 0).reduce((x, p) => x + p.notional, 0);
          const wantShort = mine.filter((p) => p.qty < 0).reduce((x, p) => x + p.notional, 0);
          expect(Math.abs(long - wantLong)).toBeLessThanOrEqual(1e-9 * wantLong);
          expect(Math.abs(short - wantShort)).toBeLessThanOrEqual(1e-9 * wantShort);
          for (const p of mine) {
            if (p.liquidationPrice === null) continue;
            const bucket = map.buckets.find((b) => p.liquidationPrice! >= b.priceFrom && p.liquidationPrice! < b.priceTo);
            if (bucket) expect(p.qty > 0 ? bucket.longCount : bucket.shortCount).toBeGreaterThan(0);
          }
        }
      }),
      { numRuns: Math.ceil(RUNS / 4) },
    );
  });
});
