import type { CompiledMarket } from "./compile-market";
import { BEYOND_DEPTH, closeCost, executionCost, type Close } from "./execution-cost";
import { maintenanceMargin } from "./maintenance-margin";
import type { RiskParams } from "./risk-params";

export type LiquidationMode = "none" | "partial" | "full";

/** A position as the planner sees it: its compiled market, signed quantity (whole lots) and mark. */
export interface PlanPosition {
  readonly market: CompiledMarket;
  readonly qty: number;
  readonly markPrice: number;
}

/** The planner's output (spec §6). */
export interface LiquidationPlan {
  readonly mode: LiquidationMode;
  readonly closes: Close[];
  /** The first planned close, capped for a large position in mode `partial`; `null` in mode `none`. */
  readonly nextStep: Close | null;
  /** Equity and maintenance margin after every planned close (not just `nextStep`). */
  readonly after: { readonly equity: number; readonly maintenanceMargin: number };
  /** `max(0, -after.equity)`, to be covered by the insurance fund. */
  readonly deficit: number;
  /**
   * Present only when the step that would execute next (in mode `full` every close, in mode
   * `partial` `nextStep`) holds a close beyond the book's depth (`Close.beyondDepth`): the reason
   * (`BEYOND_DEPTH` and the markets) it cannot be executed at the planned figures. The queue pauses
   * such an account with this reason; the desk handles it by hand.
   */
  readonly unexecutable?: string;
}

/**
 * Why a plan cannot be executed as planned (`LiquidationPlan.unexecutable`), `null` when it can:
 * the closes of its next step (every close in mode `full`) that are beyond the book's depth.
 */
export function unexecutableReason(plan: Pick<LiquidationPlan, "mode" | "closes" | "nextStep">): string | null {
  const step = plan.mode === "full" ? plan.closes : plan.nextStep ? [plan.nextStep] : [];
  const beyond = [...new Set(step.filter((c) => c.beyondDepth).map((c) => c.marketId))];
  return beyond.length > 0 ? `${BEYOND_DEPTH}: ${beyond.join(", ")}` : null;
}

/** The plan with `unexecutable` set when its next step cannot be executed (the key absent otherwise). */
function withExecutability(plan: LiquidationPlan): LiquidationPlan {
  const reason = unexecutableReason(plan);
  return reason === null ? plan : { ...plan, unexecutable: reason };
}

/** Quantity of `lots` whole lots: the double nearest to the decimal `lots × lotSize`. */
export function qtyOfLots(market: CompiledMarket, lots: number): number {
  return (lots * market.lotUnits) / market.lotScale;
}

/** Whole lots in a quantity (sign dropped). Exact for quantities that are whole lots. */
export function lotsOfQty(market: CompiledMarket, qty: number): number {
  return Math.round((Math.abs(qty) * market.lotScale) / market.lotUnits);
}

/**
 * The step cap of spec §6.4: `ceil(maxStepFraction × lots)` lots, the product rounded to 9 decimals
 * before the ceiling (so that 0.1 × 2000 is 200 lots, not 201).
 */
export function stepCapLots(lots: number, maxStepFraction: number): number {
  return Math.ceil(Number((maxStepFraction * lots).toFixed(9)));
}

/**
 * Smallest whole number of lots `n`, `1 <= n <= lots`, that closes enough of one position so that
 * `equity' >= (1 + targetBuffer) · MM'` (spec §6.3), or 0 when no `n` does.
 *
 * `equity`: the account's equity with earlier closes applied; `restMm`: the maintenance margin of
 * its other positions. `g(n) = equity − cost(n) − k·(restMm + MM(remaining))` is concave in `n`
 * (the cost is convex, MM of the remaining notional is convex), so its feasible set is one interval:
 * if `g(lots) >= 0` the sign of `g` is monotone on `[1, lots]` and a binary search finds the first
 * feasible lot; otherwise the peak of `g` is found by a binary search on the sign of
 * `g(n+1) − g(n)` (non-increasing), and the first feasible lot by a binary search below the peak.
 * O(log lots) evaluations; `smallestRestoringLots` and the plan use the same comparison, so the plan
 * meets the target and one lot less does not.
 */
export function smallestRestoringLots(
  market: CompiledMarket,
  lots: number,
  markPrice: number,
  equity: number,
  restMm: number,
  targetBuffer: number,
): number {
  const k = 1 + targetBuffer;
  const units = market.lotUnits;
  const scale = market.lotScale;
  // g(n) as (left, right): the condition is left >= right.
  const surplus = (n: number): number => {
    const closed = ((n * units) / scale) * markPrice;
    const remaining = (((lots - n) * units) / scale) * markPrice;
    return equity - closeCost(market, closed) - k * (restMm + maintenanceMargin(market, remaining));
  };
  const meets = (n: number): boolean => {
    const closed = ((n * units) / scale) * markPrice;
    const remaining = (((lots - n) * units) / scale) * markPrice;
    return equity - closeCost(market, closed) >= k * (restMm + maintenanceMargin(market, remaining));
  };
  if (lots < 1) return 0;
  let hi: number;
  if (meets(lots)) {
    hi = lots;
  } else {
    // Peak of the concave g on [0, lots]: the first p with g(p + 1) <= g(p).
    let lo = 0;
    let top = lots; // g(lots) < 0 here, so a peak at `lots` means nothing is feasible.
    while (lo < top) {
      const mid = Math.floor((lo + top) / 2);
      if (surplus(mid + 1) - surplus(mid) <= 0) top = mid;
      else lo = mid + 1;
    }
    const peak = Math.max(1, Math.min(lo, lots));
    if (!meets(peak)) return 0;
    hi = peak;
  }
  // Invariant: `lo` infeasible (0 stands for "close nothing"), `hi` feasible.
  let lo = 0;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (meets(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function byMmDescThenMarketId(mm: Float64Array, positions: readonly PlanPosition[]) {
  return (a: number, b: number): number => {
    const d = mm[b]! - mm[a]!;
    if (d !== 0) return d;
    const ia = positions[a]!.market.id;
    const ib = positions[b]!.market.id;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
  };
}

/**
 * Plan the liquidation of one account at current marks (spec §6): mode `none` above maintenance
 * margin; `full` below `backstopFraction × MM` (every position, by MM descending then market id);
 * otherwise `partial`: position by position in that order, the smallest whole-lot close that
 * restores `equity >= (1 + targetBuffer) × MM`, or the whole position and on to the next.
 * `nextStep` is the first close, capped at `stepCapLots` in mode `partial` when the position's
 * notional exceeds `largeNotional`. Positions with `qty = 0` are ignored; an account without
 * positions is always mode `none`.
 */
export function planPartialLiquidation(
  equity: number,
  positions: readonly PlanPosition[],
  params: RiskParams,
): LiquidationPlan {
  const live: PlanPosition[] = [];
  for (const p of positions) if (p.qty !== 0) live.push(p);
  const n = live.length;
  const mm = new Float64Array(n);
  let totalMm = 0;
  for (let i = 0; i < n; i++) {
    const p = live[i]!;
    mm[i] = maintenanceMargin(p.market, Math.abs(p.qty) * p.markPrice);
    totalMm += mm[i]!;
  }
  if (n === 0 || equity > totalMm) {
    return {
      mode: "none",
      closes: [],
      nextStep: null,
      after: { equity, maintenanceMargin: totalMm },
      deficit: Math.max(0, -equity),
    };
  }
  const order = Array.from({ length: n }, (_, i) => i).sort(byMmDescThenMarketId(mm, live));
  const closes: Close[] = [];

  if (equity < params.backstopFraction * totalMm) {
    let eq = equity;
    for (const i of order) {
      const p = live[i]!;
      const q = Math.abs(p.qty);
      closes.push(executionCost(p.market, p.qty, q, p.markPrice));
      eq -= closeCost(p.market, q * p.markPrice);
    }
    return withExecutability({
      mode: "full",
      closes,
      nextStep: closes[0] ?? null,
      after: { equity: eq, maintenanceMargin: 0 },
      deficit: Math.max(0, -eq),
    });
  }

  let eq = equity;
  let afterMm = 0;
  let restored = false;
  const mmNow = Float64Array.from(mm);
  for (const i of order) {
    const p = live[i]!;
    const market = p.market;
    let restMm = 0;
    for (let j = 0; j < n; j++) if (j !== i) restMm += mmNow[j]!;
    const lots = lotsOfQty(market, p.qty);
    const found = smallestRestoringLots(market, lots, p.markPrice, eq, restMm, params.targetBuffer);
    const closeLots = found > 0 ? found : lots;
    const q = qtyOfLots(market, closeLots);
    closes.push(executionCost(market, p.qty, q, p.markPrice));
    eq -= closeCost(market, q * p.markPrice);
    mmNow[i] = maintenanceMargin(market, qtyOfLots(market, lots - closeLots) * p.markPrice);
    if (found > 0) {
      afterMm = restMm + mmNow[i]!;
      restored = true;
      break;
    }
  }
  if (!restored) {
    afterMm = 0;
    for (let j = 0; j < n; j++) afterMm += mmNow[j]!;
  }

  let nextStep: Close | null = closes[0] ?? null;
  const first = live[order[0]!]!;
  if (nextStep && Math.abs(first.qty) * first.markPrice > params.largeNotional) {
    const lots = lotsOfQty(first.market, first.qty);
    const cap = stepCapLots(lots, params.maxStepFraction);
    if (lotsOfQty(first.market, nextStep.qty) > cap) {
      nextStep = executionCost(first.market, first.qty, qtyOfLots(first.market, cap), first.markPrice);
    }
  }
  return withExecutability({
    mode: "partial",
    closes,
    nextStep,
    after: { equity: eq, maintenanceMargin: afterMm },
    deficit: Math.max(0, -eq),
  });
}
