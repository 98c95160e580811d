import {
  buildMarketBook, evaluateAccount, evaluateShock, liquidationMap, resolveRiskParams, runStressTest, shockMarks, stressAccountsOf,
  type LiquidationMap, type MapPosition, type StressResult,
} from "../risk";
import type { BookSnapshot } from "./engine-types";
import { scenarioOfSnapshot } from "./scenario-of-snapshot";

/**
 * Desk analytics over a snapshot of the live book: the same lib/risk functions the CLI runs, on the
 * live state, so that the desk and `npm run risk -- stress` agree to the last digit. They walk the
 * whole book (seconds at 100,000 accounts), so the engine runs them on a thread of their own
 * (`analytics-worker.ts`), never on the server's main thread nor between two price revaluations.
 */

/**
 * Spec §8 against the live book: the shock and its cascade, with the fund's current balance. The
 * book is trusted (see runStressTest): accounts carrying unpaid bad debt are part of it.
 */
export function stressOfSnapshot(
  snapshot: BookSnapshot,
  shocks: Record<string, number>,
  insuranceFund: number,
  maxRounds?: number,
  depthPer1Pct?: Record<string, number>,
): StressResult {
  return runStressTest({ ...scenarioOfSnapshot(snapshot), shocks, insuranceFund, maxRounds, depthPer1Pct });
}

/**
 * The insurance fund's runway: the largest uniform move of every market (down or up, whichever is
 * worse) whose shock leaves deficits the fund still covers, to 0.1%. Searched up to ±50%.
 */
export function fundRunway(snapshot: BookSnapshot, insuranceFund: number): number {
  const scenario = scenarioOfSnapshot(snapshot);
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
  return Math.min(largest(-1), largest(1));
}

/**
 * Spec §9 for one market of the live book: notional by liquidation price, longs and shorts apart.
 * The snapshot needs only the market's holders (`LiveBook.snapshot({ market })`). `null` before
 * the market's first price.
 */
export function liquidationMapOfSnapshot(snapshot: BookSnapshot, marketId: string): LiquidationMap | null {
  const m = snapshot.markets.findIndex((x) => x.id === marketId);
  const mark = snapshot.marks[m];
  if (m < 0 || mark === undefined || Number.isNaN(mark)) return null;
  const scenario = scenarioOfSnapshot(snapshot);
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
  return liquidationMap(marketId, mark, positions);
}
