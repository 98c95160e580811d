import type { MarketBook } from "./account-input";
import type { RiskParams } from "./risk-params";
import type { Close } from "./execution-cost";
import type { LiquidationPlan } from "./plan-partial-liquidation";
import { assessStressAccount, coverDeficits, emptyStatusCounts, executePlan, executeUnitPlan, type StatusCounts, type StressAccount } from "./stress-book";

export interface CascadeMarketRound {
  readonly marketId: string;
  readonly markBefore: number;
  /** Notional (at `markBefore`) of closes that sold: longs liquidated. */
  readonly soldNotional: number;
  /** Notional of closes that bought: shorts liquidated. */
  readonly boughtNotional: number;
  /** `soldNotional − boughtNotional`: net sells push the mark down, net buys up. */
  readonly netSoldNotional: number;
  readonly markAfter: number;
}

export interface CascadeRound {
  /** 1-based. */
  readonly round: number;
  readonly accountsLiquidated: number;
  readonly liquidatedNotional: number;
  /** Markets with liquidations this round, by id. */
  readonly markets: CascadeMarketRound[];
  readonly fees: number;
  readonly deficits: number;
  readonly covered: number;
  readonly uncovered: number;
  readonly insuranceFundAfter: number;
}

export interface CascadeReport {
  /** Rounds that liquidated something (the round that liquidates nothing ends the cascade, unlisted). */
  readonly rounds: CascadeRound[];
  /**
   * `mark_out_of_range`: a round's impact would take a mark out of the positive finite numbers
   * (`exp` overflows or underflows: a depth assumption far too thin for the flow); that market
   * keeps its mark before the impact and the cascade stops there (`outOfRangeMarkets`).
   */
  readonly stoppedBy: "no_liquidations" | "max_rounds" | "mark_out_of_range";
  readonly outOfRangeMarkets: string[];
  /**
   * Accounts at or below maintenance margin at the end whose plan holds a close beyond the book's
   * depth (`Close.beyondDepth`: average impact `a(X) >= 1`, spec §5 gives no price for it), by id.
   * The cascade does not execute such a plan (it would realise a loss larger than the notional at
   * an expected price <= 0): as in the live queue, which pauses them, the desk handles them by hand.
   */
  readonly heldBeyondDepth: string[];
  readonly finalMarks: Record<string, number>;
  /** `finalMark / preShockMark − 1` by market: the cascade's move, the shock included. */
  readonly finalMarkChange: Record<string, number>;
  readonly finalStatusCounts: StatusCounts;
  readonly totals: {
    /** Distinct accounts liquidated in any round. */
    readonly accountsLiquidated: number;
    readonly liquidatedNotional: number;
    readonly liquidatedNotionalByMarket: Record<string, number>;
    readonly fees: number;
    readonly deficits: number;
    readonly covered: number;
    readonly uncovered: number;
  };
  readonly insuranceFundBefore: number;
  readonly insuranceFundAfter: number;
}

/**
 * The liquidation cascade of spec §8, from `marks` (the shocked marks). Each round evaluates every
 * account at the round's marks; every account at or below maintenance margin executes its whole
 * plan (all closes, no step cap or cool-down) at the expected prices, except a plan with a close
 * beyond the book's depth, which is held (`heldBeyondDepth`); fees go to the insurance
 * fund and deficits are paid from it (`coverDeficits`, per round); then each market's mark becomes
 * `mark · exp(−0.01 · netSoldNotional / depthPer1Pct)` (`impactedMark`). Stops when a round
 * liquidates nothing, or after `maxRounds` rounds. `preShockMarks` are the marks before the shock,
 * for `finalMarkChange`. Mutates `accounts` (their state after the cascade).
 */
export function runCascade(
  accounts: StressAccount[],
  markets: MarketBook,
  marks: ReadonlyMap<string, number>,
  params: RiskParams,
  insuranceFund: number,
  maxRounds: number,
  preShockMarks: ReadonlyMap<string, number> = marks,
): CascadeReport {
  const current = new Map(marks);
  const rounds: CascadeRound[] = [];
  const liquidatedIds = new Set<string>();
  const byMarketTotal: Record<string, number> = {};
  let fund = insuranceFund;
  let totalNotional = 0, totalFees = 0, totalDeficits = 0, totalCovered = 0, totalUncovered = 0;
  let stoppedBy: CascadeReport["stoppedBy"] = "max_rounds";
  const outOfRangeMarkets: string[] = [];

  for (let round = 1; round <= maxRounds; round++) {
    const sold = new Map<string, number>();
    const bought = new Map<string, number>();
    let liquidated = 0, notional = 0, fees = 0, deficits = 0;
    // Plans first, at the round's marks for everyone; executions after. Each unit (the cross part,
    // each isolated position: spec §11) executes its own plan; a plan beyond the book's depth is held.
    const assessed = accounts.map((a) => assessStressAccount(a, current, params));
    const runs = (plan: LiquidationPlan | null): plan is LiquidationPlan =>
      plan !== null && plan.closes.length > 0 && !plan.closes.some((c) => c.beyondDepth);
    const record = (closes: readonly Close[]) => {
      for (const c of closes) {
        const side = c.side === "sell" ? sold : bought;
        side.set(c.marketId, (side.get(c.marketId) ?? 0) + c.notional);
        notional += c.notional;
        fees += c.fee;
      }
    };
    accounts.forEach((account, i) => {
      const a = assessed[i]!;
      let any = false;
      if (runs(a.plan)) {
        any = true;
        record(a.plan.closes);
        deficits += a.plan.deficit;
        executePlan(account, a.plan);
      }
      for (const u of a.units) {
        if (!runs(u.plan)) continue;
        any = true;
        record(u.plan.closes);
        deficits += u.plan.deficit;
        executeUnitPlan(u.position, u.plan);
      }
      if (!any) return;
      liquidated++;
      liquidatedIds.add(account.id);
    });
    if (liquidated === 0) {
      stoppedBy = "no_liquidations";
      break;
    }
    const cover = coverDeficits(fund, fees, deficits);
    fund = cover.balanceAfter;
    const marketIds = [...new Set([...sold.keys(), ...bought.keys()])].sort();
    const marketRounds: CascadeMarketRound[] = marketIds.map((id) => {
      const market = markets.get(id)!;
      const before = current.get(id)!;
      const s = sold.get(id) ?? 0;
      const b = bought.get(id) ?? 0;
      const net = s - b;
      let after = impactedMark(before, net, market.depthPer1Pct);
      if (!(after > 0 && after < Infinity)) {
        outOfRangeMarkets.push(id);
        after = before;
      }
      current.set(id, after);
      byMarketTotal[id] = (byMarketTotal[id] ?? 0) + s + b;
      return { marketId: id, markBefore: before, soldNotional: s, boughtNotional: b, netSoldNotional: net, markAfter: after };
    });
    rounds.push({
      round,
      accountsLiquidated: liquidated,
      liquidatedNotional: notional,
      markets: marketRounds,
      fees,
      deficits,
      covered: cover.covered,
      uncovered: cover.uncovered,
      insuranceFundAfter: fund,
    });
    totalNotional += notional;
    totalFees += fees;
    totalDeficits += deficits;
    totalCovered += cover.covered;
    totalUncovered += cover.uncovered;
    if (outOfRangeMarkets.length > 0) {
      stoppedBy = "mark_out_of_range";
      break;
    }
  }

  const finalStatusCounts = emptyStatusCounts();
  const heldBeyondDepth: string[] = [];
  for (const a of accounts) {
    const final = assessStressAccount(a, current, params);
    finalStatusCounts[final.status]++;
    const plans = [final.plan, ...final.units.map((u) => u.plan)];
    if (plans.some((plan) => plan?.closes.some((c) => c.beyondDepth))) heldBeyondDepth.push(a.id);
  }
  heldBeyondDepth.sort();
  return {
    rounds,
    stoppedBy,
    outOfRangeMarkets,
    heldBeyondDepth,
    finalMarks: Object.fromEntries(current),
    finalMarkChange: Object.fromEntries([...current].map(([id, mark]) => [id, mark / (preShockMarks.get(id) ?? mark) - 1])),
    finalStatusCounts,
    totals: {
      accountsLiquidated: liquidatedIds.size,
      liquidatedNotional: totalNotional,
      liquidatedNotionalByMarket: byMarketTotal,
      fees: totalFees,
      deficits: totalDeficits,
      covered: totalCovered,
      uncovered: totalUncovered,
    },
    insuranceFundBefore: insuranceFund,
    insuranceFundAfter: fund,
  };
}

/**
 * The mark after a round's net flow (spec §8): `mark · exp(−0.01 · netSoldNotional / depthPer1Pct)`.
 * Net sells push it down, net buys up; a small flow moves it by about `−1%` per `depthPer1Pct`.
 */
export function impactedMark(mark: number, netSoldNotional: number, depthPer1Pct: number): number {
  return mark * Math.exp((-0.01 * netSoldNotional) / depthPer1Pct);
}
