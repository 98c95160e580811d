import {
  buildMarketBook, evaluateAccount, evaluateShock, liquidationMap, resolveRiskParams, RiskInputError, runStressTest, shockMarks, stressAccountsOf,
  type MapPosition,
} from "@/lib/risk";
import type { BookSnapshot, FundRunway } from "../engine-types";
import type { BookLiquidationMap, BookStressResult } from "@/lib/contracts/book-views";
import { pricedScenarioOfSnapshot } from "./scenario-of-snapshot";

/**
 * Desk analytics over a snapshot of the live book: the same lib/risk functions the CLI runs, on the
 * live state, so that the desk and `npm run risk -- stress` agree to the last digit. They walk the
 * whole book (seconds at 100,000 accounts), so the engine runs them on a thread of their own
 * (`analytics-worker.ts`), never on the server's main thread nor between two price revaluations.
 *
 * An account holding a position in a market that never had a price has unknown figures (spec §7
 * revision 2): each of these leaves it out, evaluates the priced rest exactly as lib/risk does,
 * and says how many it left out and for which markets (`unknownAccounts`).
 */

/**
 * Spec §8 against the live book: the shock and its cascade, with the fund's current balance. The
 * book is trusted (see runStressTest): accounts carrying unpaid bad debt are part of it. A shock on
 * a market that never had a price is refused (`RiskInputError` at `shocks.<market>`): there is no
 * mark to move.
 */
export function stressOfSnapshot(
  snapshot: BookSnapshot,
  shocks: Record<string, number>,
  insuranceFund: number,
  maxRounds?: number,
  depthPer1Pct?: Record<string, number>,
): BookStressResult {
  const { scenario, unknownAccounts } = pricedScenarioOfSnapshot(snapshot);
  const unpriced = Object.keys(shocks).filter((id) => !Object.hasOwn(scenario.prices, id));
  if (unpriced.length > 0) throw new RiskInputError(unpriced.map((id) => ({ path: ["shocks", id], message: `no price yet for ${id}` })));
  return { ...runStressTest({ ...scenario, shocks, insuranceFund, maxRounds, depthPer1Pct }), unknownAccounts };
}

/**
 * The insurance fund's runway: the largest uniform move of every market (down or up, whichever is
 * worse) whose shock leaves deficits the fund still covers, to 0.1%. Searched up to ±50%. Over the
 * priced accounts only: the others are counted in `unknownAccounts`.
 */
export function fundRunway(snapshot: BookSnapshot, insuranceFund: number): FundRunway {
  const { scenario, unknownAccounts } = pricedScenarioOfSnapshot(snapshot);
  const markets = buildMarketBook(scenario.markets);
  const params = resolveRiskParams(scenario.params);
  const accounts = stressAccountsOf(scenario.accounts, markets);
  const covered = (move: number) => {
    const shocks = Object.fromEntries(Object.keys(scenario.prices).map((id) => [id, move]));
    return evaluateShock(accounts, shockMarks(scenario.prices, shocks), params, insuranceFund).insuranceFund.uncovered === 0;
  };
  const largest = (sign: 1 | -1) => {
    if (covered(sign * 0.5)) return 0.5;
    let lo = 0;
    let hi = 0.5;
    while (hi - lo > 0.001) {
      const mid = (lo + hi) / 2;
      if (covered(sign * mid)) lo = mid;
      else hi = mid;
    }
    return lo;
  };
  return { coversMove: Math.min(largest(-1), largest(1)), unknownAccounts };
}

/**
 * Spec §9 for one market of the live book: notional by liquidation price, longs and shorts apart.
 * The snapshot needs only the market's holders (`bookSnapshot(book, { market })`). `null` for a
 * market the snapshot does not know; no map, with the reason, before the market's first price.
 */
export function liquidationMapOfSnapshot(snapshot: BookSnapshot, marketId: string): BookLiquidationMap | null {
  const m = snapshot.markets.findIndex((x) => x.id === marketId);
  if (m < 0) return null;
  const mark = snapshot.marks[m]!;
  if (Number.isNaN(mark)) return { marketId, markPrice: null, reason: "no price yet" };
  const { scenario, unknownAccounts } = pricedScenarioOfSnapshot(snapshot);
  const markets = buildMarketBook(scenario.markets);
  const params = resolveRiskParams(scenario.params);
  const marks = new Map(Object.entries(scenario.prices));
  const positions: MapPosition[] = [];
  for (const account of scenario.accounts) {
    if (!account.positions.some((p) => p.marketId === marketId && p.qty !== 0)) continue;
    for (const p of evaluateAccount(account, markets, marks, params).positions) {
      if (p.marketId === marketId) positions.push(p);
    }
  }
  return { ...liquidationMap(marketId, mark, positions), unknownAccounts };
}
