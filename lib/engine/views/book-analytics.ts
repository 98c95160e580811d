import {
  buildMarketBook, evaluateAccount, evaluateShock, liquidationMap, resolveRiskParams, RiskInputError, runStressTest, shockMarks, stressAccountsOf,
  type MapPosition,
} from "@/lib/risk";
import type { BookSnapshot, FundRunway, RunwaySteps } from "../engine-types";
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

/** The runway is searched on a grid of 0.1% moves, up to ±50%. */
const RUNWAY_STEPS_PER_UNIT = 1000;
const RUNWAY_MAX_STEPS = 500;

/**
 * The insurance fund's runway: the largest uniform move of every market (down or up, whichever is
 * worse) whose shock leaves deficits the fund still covers, on a grid of 0.1% up to ±50%: the
 * largest covered grid point each way (coverage falls as the move grows). `hint` (the steps found
 * last time, `steps`) only says where to look first: the answer is the same with or without it,
 * and with it an unchanged boundary costs two shocked books each way instead of ten. Over the
 * priced accounts only: the others are counted in `unknownAccounts`.
 */
export function fundRunway(snapshot: BookSnapshot, insuranceFund: number, hint?: RunwaySteps): FundRunway {
  const { scenario, unknownAccounts } = pricedScenarioOfSnapshot(snapshot);
  const markets = buildMarketBook(scenario.markets);
  const params = resolveRiskParams(scenario.params);
  const accounts = stressAccountsOf(scenario.accounts, markets);
  const covered = (move: number) => {
    const shocks = Object.fromEntries(Object.keys(scenario.prices).map((id) => [id, move]));
    return evaluateShock(accounts, shockMarks(scenario.prices, shocks), params, insuranceFund).insuranceFund.uncovered === 0;
  };
  const steps = {
    down: largestCovered((k) => covered(-k / RUNWAY_STEPS_PER_UNIT), hint?.down),
    up: largestCovered((k) => covered(k / RUNWAY_STEPS_PER_UNIT), hint?.up),
  };
  return { coversMove: Math.min(steps.down, steps.up) / RUNWAY_STEPS_PER_UNIT, steps, unknownAccounts };
}

/**
 * The largest step k in [0, RUNWAY_MAX_STEPS] with `ok(k)` (0 when none above it is; `ok` holds up
 * to some step and not above it). From a hint: gallops away from it until the boundary is
 * bracketed, then bisects; without one: the whole range.
 */
export function largestCovered(ok: (k: number) => boolean, hint?: number): number {
  const max = RUNWAY_MAX_STEPS;
  const test = (k: number) => k <= 0 || ok(k);
  // test(lo) holds; test(hi) does not (hi = max + 1: beyond the range, never tested).
  let lo = 0;
  let hi = max + 1;
  if (hint !== undefined && Number.isInteger(hint) && hint >= 0 && hint <= max) {
    let step = 1;
    if (test(hint)) {
      lo = hint;
      for (let k = hint + 1; k <= max; k = Math.min(max + 1, lo + step)) {
        if (!test(k)) { hi = k; break; }
        lo = k;
        step *= 2;
      }
    } else {
      hi = hint;
      for (let k = hint - 1; k > 0; k = Math.max(0, hi - step)) {
        if (test(k)) { lo = k; break; }
        hi = k;
        step *= 2;
      }
    }
  } else if (test(max)) {
    return max;
  }
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (test(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
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
