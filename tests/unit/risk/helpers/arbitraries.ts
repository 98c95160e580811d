import fc from "fast-check";
import type { AccountInput, MarketParams, RiskParams, RiskScenario } from "@/lib/risk";
import { refAccount, refQty } from "./reference-model";

const LOT_SIZES = [1, 0.1, 0.01, 0.001, 0.25, 5, 0.005];

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });

/** A market config valid under spec §2: 1–5 tiers, caps ascending, mmr non-decreasing, fee < mmr_1. */
export function marketArb(id: string): fc.Arbitrary<MarketParams> {
  return fc
    .record({
      tierCount: fc.integer({ min: 1, max: 5 }),
      firstCap: dbl(1e3, 1e6),
      capSteps: fc.array(dbl(1.5, 10), { minLength: 4, maxLength: 4 }),
      firstMmr: dbl(0.002, 0.05),
      mmrSteps: fc.array(fc.oneof(fc.constant(0), dbl(0, 0.03)), { minLength: 4, maxLength: 4 }),
      unbounded: fc.boolean(),
      feeShare: fc.oneof(fc.constant(0), dbl(0, 0.95)),
      lotSize: fc.constantFrom(...LOT_SIZES),
      halfSpreadBps: fc.oneof(fc.constant(0), dbl(0, 20)),
      depthPer1Pct: dbl(1e4, 1e8),
    })
    .map((r) => {
      let cap = r.firstCap;
      let mmr = r.firstMmr;
      const tiers = Array.from({ length: r.tierCount }, (_, k) => {
        if (k > 0) {
          cap *= r.capSteps[k - 1]!;
          mmr += r.mmrSteps[k - 1]!;
        }
        const last = k === r.tierCount - 1;
        return { maxNotional: last && r.unbounded ? null : cap, mmr, maxLeverage: Math.max(1, Math.floor(0.5 / mmr)) };
      });
      return {
        id,
        lotSize: r.lotSize,
        tickSize: 0.01,
        liquidationFeeRate: r.feeShare * r.firstMmr,
        tiers,
        liquidity: { halfSpreadBps: r.halfSpreadBps, depthPer1Pct: r.depthPer1Pct },
      };
    });
}

export const paramsArb: fc.Arbitrary<Partial<RiskParams>> = fc.record({
  warnRatio: dbl(0.5, 1),
  targetBuffer: fc.oneof(fc.constant(0), dbl(0, 0.5)),
  maxStepFraction: dbl(0.05, 1),
  largeNotional: dbl(0, 1e6),
  backstopFraction: dbl(0.3, 0.9),
});

/**
 * A scenario of random markets, marks and accounts. Each account holds distinct markets with
 * whole-lot quantities and entries within ±30% of the mark; its collateral is set from a drawn
 * health (`equity / MM`) so that healthy, warning, liquidatable, backstop and bankrupt accounts all
 * occur.
 */
export function scenarioArb(options: { maxAccounts?: number; maxLots?: number } = {}): fc.Arbitrary<RiskScenario> {
  const maxLots = options.maxLots ?? 200000;
  return fc
    .integer({ min: 1, max: 4 })
    .chain((marketCount) =>
      fc.record({
        markets: fc.tuple(...Array.from({ length: marketCount }, (_, i) => marketArb(`M${i}`))),
        marks: fc.array(dbl(0.5, 1e5), { minLength: marketCount, maxLength: marketCount }),
        params: paramsArb,
        accounts: fc.array(
          fc.record({
            held: fc.subarray(Array.from({ length: marketCount }, (_, i) => i), { minLength: 0 }),
            lots: fc.array(fc.oneof(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 1, max: maxLots })), { minLength: 4, maxLength: 4 }),
            longs: fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
            entryMoves: fc.array(dbl(0.7, 1.3), { minLength: 4, maxLength: 4 }),
            health: fc.oneof(dbl(-0.5, 0.7), dbl(0.6, 1.05), dbl(0.95, 4)),
          }),
          { minLength: 1, maxLength: options.maxAccounts ?? 3 },
        ),
      }),
    )
    .map(({ markets, marks, params, accounts }) => {
      const prices = Object.fromEntries(markets.map((m, i) => [m.id, marks[i]!]));
      const built: AccountInput[] = accounts.map((a, n) => {
        const positions = a.held.map((mi, j) => {
          const market = markets[mi]!;
          const qty = refQty(market, a.lots[j]!) * (a.longs[j] ? 1 : -1);
          return { marketId: market.id, qty, entryPrice: marks[mi]! * a.entryMoves[j]! };
        });
        const ref = refAccount(
          0,
          positions.map((p) => ({ market: markets.find((m) => m.id === p.marketId)!, qty: p.qty, entryPrice: p.entryPrice, markPrice: prices[p.marketId]! })),
        );
        const collateral = positions.length === 0 ? a.health * 1000 + 500 : Math.max(0, a.health * ref.mm - ref.equity);
        return { id: `acct-${n}`, collateral, positions };
      });
      return { markets, prices, params, accounts: built };
    });
}
