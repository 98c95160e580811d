import type { AccountInput, MarketBook } from "./account-input";
import { ACCOUNT_STATUSES, accountStatusCode, type AccountStatus } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import { maintenanceMargin } from "./maintenance-margin";
import { lotsOfQty, planPartialLiquidation, qtyOfLots, type LiquidationPlan, type PlanPosition } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/** A position the stress test can execute closes against (quantity kept in whole lots). */
export interface StressPosition {
  readonly market: CompiledMarket;
  readonly sign: number;
  lots: number;
  qty: number;
  readonly entryPrice: number;
}

export interface StressAccount {
  readonly id: string;
  collateral: number;
  readonly positions: StressPosition[];
}

export type StatusCounts = Record<AccountStatus, number>;

/** How the insurance fund meets deficits: it takes the fees first, then pays what it can. */
export interface InsuranceFundCover {
  readonly balanceBefore: number;
  readonly fees: number;
  readonly deficits: number;
  readonly covered: number;
  /** Bad debt the fund cannot pay (shown, not socialised: auto-deleveraging is a later stage). */
  readonly uncovered: number;
  readonly balanceAfter: number;
}

/** Copies validated accounts into mutable stress state, dropping `qty = 0` rows. */
export function stressAccountsOf(accounts: readonly AccountInput[], markets: MarketBook): StressAccount[] {
  return accounts.map((a) => ({
    id: a.id,
    collateral: a.collateral,
    positions: a.positions
      .filter((p) => p.qty !== 0)
      .map((p) => {
        const market = markets.get(p.marketId);
        if (!market) throw new RangeError(`account ${a.id}: unknown market ${p.marketId}`);
        return { market, sign: p.qty > 0 ? 1 : -1, lots: lotsOfQty(market, p.qty), qty: p.qty, entryPrice: p.entryPrice };
      }),
  }));
}

export interface Assessment {
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly status: AccountStatus;
  /** The plan of spec §6 when the account is at or below maintenance margin, else `null`. */
  readonly plan: LiquidationPlan | null;
  readonly notional: number;
}

/** Figures, status and (when liquidatable or worse) plan of a stress account at `marks`. */
export function assessStressAccount(account: StressAccount, marks: ReadonlyMap<string, number>, params: RiskParams): Assessment {
  let equity = account.collateral;
  let mm = 0;
  let notional = 0;
  let held = 0;
  for (const p of account.positions) {
    if (p.lots === 0) continue;
    const price = marks.get(p.market.id)!;
    const x = Math.abs(p.qty) * price;
    equity += p.qty * (price - p.entryPrice);
    mm += maintenanceMargin(p.market, x);
    notional += x;
    held++;
  }
  const status = ACCOUNT_STATUSES[accountStatusCode(equity, mm, held > 0, params.warnRatio, params.backstopFraction)]!;
  let plan: LiquidationPlan | null = null;
  if (held > 0 && equity <= mm) {
    const planned: PlanPosition[] = [];
    for (const p of account.positions) if (p.lots > 0) planned.push({ market: p.market, qty: p.qty, markPrice: marks.get(p.market.id)! });
    plan = planPartialLiquidation(equity, planned, params);
  }
  return { equity, maintenanceMargin: mm, status, plan, notional };
}

/**
 * Executes a plan's closes at their expected prices: each close realizes
 * `s·x·(expectedPrice − entry)` and pays its fee, so equity falls by exactly slippage + fee
 * (spec §5). An account left with a deficit (no positions, negative equity) ends at collateral 0:
 * the deficit goes to the insurance fund.
 */
export function executePlan(account: StressAccount, plan: LiquidationPlan): void {
  for (const close of plan.closes) {
    const p = account.positions.find((x) => x.market.id === close.marketId && x.lots > 0);
    if (!p) throw new RangeError(`account ${account.id}: no open position in ${close.marketId}`);
    const closeLots = lotsOfQty(p.market, close.qty);
    account.collateral += p.sign * close.qty * (close.expectedPrice - p.entryPrice) - close.fee;
    p.lots -= closeLots;
    p.qty = p.sign * qtyOfLots(p.market, p.lots);
  }
  if (plan.deficit > 0) account.collateral = 0;
}

export function emptyStatusCounts(): StatusCounts {
  return { healthy: 0, warning: 0, liquidatable: 0, backstop: 0, bankrupt: 0 };
}

/** The fund takes the fees, then pays deficits up to its balance; the rest is uncovered. */
export function coverDeficits(balance: number, fees: number, deficits: number): InsuranceFundCover {
  const available = balance + fees;
  const covered = Math.min(deficits, available);
  return { balanceBefore: balance, fees, deficits, covered, uncovered: deficits - covered, balanceAfter: available - covered };
}
