import type { RiskParams } from "./risk-params";
import { assessStressAccount, coverDeficits, emptyStatusCounts, type InsuranceFundCover, type StatusCounts, type StressAccount } from "./stress-book";

export interface AccountDeficit {
  readonly id: string;
  readonly deficit: number;
}

/** An instantaneous shock (spec §8): every account at the shocked marks, before any execution. */
export interface ShockReport {
  /** The shocked marks. */
  readonly marks: Record<string, number>;
  readonly statusCounts: StatusCounts;
  /** Accounts at or below maintenance margin (liquidatable, backstop or bankrupt). */
  readonly liquidatableAccounts: number;
  /** Notional at the shocked marks of every position of those accounts. */
  readonly liquidatableNotional: number;
  readonly liquidatableNotionalByMarket: Record<string, number>;
  /** Notional of the closes their plans would execute (whole plans, not just next steps). */
  readonly plannedCloseNotional: number;
  /** Expected deficits: `deficit` of each plan that has one, in account order. */
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
    if (!a.plan) continue;
    liquidatableAccounts++;
    liquidatableNotional += a.notional;
    for (const p of account.positions) {
      if (p.lots === 0) continue;
      byMarket[p.market.id] = (byMarket[p.market.id] ?? 0) + Math.abs(p.qty) * marks.get(p.market.id)!;
    }
    for (const c of a.plan.closes) {
      plannedCloseNotional += c.notional;
      fees += c.fee;
    }
    if (a.plan.deficit > 0) {
      deficits += a.plan.deficit;
      deficitAccounts.push({ id: account.id, deficit: a.plan.deficit });
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
