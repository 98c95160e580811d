import type { RiskParams } from "./risk-params";
import type { LiquidationPlan } from "./plan-partial-liquidation";
import { assessStressAccount, coverDeficits, emptyStatusCounts, hasPlan, type InsuranceFundCover, type StatusCounts, type StressAccount } from "./stress-book";

export interface AccountDeficit {
  readonly id: string;
  readonly deficit: number;
}

/** An instantaneous shock (spec §8): every account at the shocked marks, before any execution. */
export interface ShockReport {
  /** The shocked marks. */
  readonly marks: Record<string, number>;
  readonly statusCounts: StatusCounts;
  /** Accounts with a unit (cross part or isolated position, spec §11) at or below maintenance margin. */
  readonly liquidatableAccounts: number;
  /** Notional at the shocked marks of every position of those units (a cross part: all its cross positions). */
  readonly liquidatableNotional: number;
  readonly liquidatableNotionalByMarket: Record<string, number>;
  /** Notional of the closes their plans would execute (whole plans, not just next steps). */
  readonly plannedCloseNotional: number;
  /** Expected deficits: `deficit` of each plan that has one, summed per account, in account order. */
  readonly deficits: { readonly total: number; readonly accounts: AccountDeficit[] };
  /** What the insurance fund would pay if all those plans executed at once. */
  readonly insuranceFund: InsuranceFundCover;
}

/**
 * Evaluates every account at the (already shocked) `marks`: counts by status, liquidatable
 * notional, the deficits their plans leave and the insurance fund's cover (fees of the planned
 * closes in, deficits out). Does not change the accounts.
 */
export function evaluateShock(
  accounts: readonly StressAccount[],
  marks: ReadonlyMap<string, number>,
  params: RiskParams,
  insuranceFund: number,
): ShockReport {
  const statusCounts = emptyStatusCounts();
  const byMarket: Record<string, number> = {};
  const deficitAccounts: AccountDeficit[] = [];
  let liquidatableAccounts = 0;
  let liquidatableNotional = 0;
  let plannedCloseNotional = 0;
  let fees = 0;
  let deficits = 0;
  for (const account of accounts) {
    const a = assessStressAccount(account, marks, params);
    statusCounts[a.status]++;
    if (!hasPlan(a)) continue;
    liquidatableAccounts++;
    const plans: LiquidationPlan[] = [];
    if (a.plan) {
      plans.push(a.plan);
      liquidatableNotional += a.notional;
      for (const p of account.positions) {
        if (p.lots === 0 || p.isolatedMargin !== null) continue;
        byMarket[p.market.id] = (byMarket[p.market.id] ?? 0) + Math.abs(p.qty) * marks.get(p.market.id)!;
      }
    }
    for (const u of a.units) {
      if (!u.plan) continue;
      plans.push(u.plan);
      liquidatableNotional += u.notional;
      const id = u.position.market.id;
      byMarket[id] = (byMarket[id] ?? 0) + u.notional;
    }
    let deficit = 0;
    for (const plan of plans) {
      for (const c of plan.closes) {
        plannedCloseNotional += c.notional;
        fees += c.fee;
      }
      deficit += plan.deficit;
    }
    if (deficit > 0) {
      deficits += deficit;
      deficitAccounts.push({ id: account.id, deficit });
    }
  }
  return {
    marks: Object.fromEntries(marks),
    statusCounts,
    liquidatableAccounts,
    liquidatableNotional,
    liquidatableNotionalByMarket: byMarket,
    plannedCloseNotional,
    deficits: { total: deficits, accounts: deficitAccounts },
    insuranceFund: coverDeficits(insuranceFund, fees, deficits),
  };
}
