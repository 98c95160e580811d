import { isolatedMarginOf, type AccountInput, type MarketBook } from "./account-input";
import { ACCOUNT_STATUSES, accountStatusCode, worseStatusCode, type AccountStatus } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import { maintenanceMargin } from "./maintenance-margin";
import { lotsOfQty, planPartialLiquidation, qtyOfLots, type LiquidationPlan, type PlanPosition } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/**
 * A position the stress test can execute closes against (quantity kept in whole lots).
 * `isolatedMargin` is its own margin when it is isolated (spec §11), `null` when cross.
 */
export interface StressPosition {
  readonly market: CompiledMarket;
  readonly sign: number;
  lots: number;
  qty: number;
  readonly entryPrice: number;
  isolatedMargin: number | null;
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
        return {
          market, sign: p.qty > 0 ? 1 : -1, lots: lotsOfQty(market, p.qty), qty: p.qty, entryPrice: p.entryPrice,
          isolatedMargin: isolatedMarginOf(p),
        };
      }),
  }));
}

/** An isolated position's unit at the stress marks (spec §11). */
export interface UnitAssessment {
  readonly position: StressPosition;
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly status: AccountStatus;
  /** The plan of spec §6 for the unit alone when it is at or below maintenance margin, else `null`. */
  readonly plan: LiquidationPlan | null;
  readonly notional: number;
}

/**
 * An account at the stress marks: its cross part (`equity`, `maintenanceMargin`, `plan`,
 * `notional` over cross positions) and each open isolated position as a unit of its own
 * (`units`); `status` is the worst of them (spec §11). Without isolated positions, `units` is empty
 * and every figure is spec §3's.
 */
export interface Assessment {
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly status: AccountStatus;
  /** The plan of spec §6 for the cross part when it is at or below maintenance margin, else `null`. */
  readonly plan: LiquidationPlan | null;
  readonly notional: number;
  readonly units: UnitAssessment[];
}

/** Figures, status and (when liquidatable or worse) plans of a stress account at `marks`: cross part and isolated units. */
export function assessStressAccount(account: StressAccount, marks: ReadonlyMap<string, number>, params: RiskParams): Assessment {
  let equity = account.collateral;
  let mm = 0;
  let notional = 0;
  let held = 0;
  const units: UnitAssessment[] = [];
  let worst = 0;
  for (const p of account.positions) {
    if (p.lots === 0) continue;
    const price = marks.get(p.market.id)!;
    const x = Math.abs(p.qty) * price;
    const upnl = p.qty * (price - p.entryPrice);
    const pmm = maintenanceMargin(p.market, x);
    if (p.isolatedMargin !== null) {
      const ue = p.isolatedMargin + upnl;
      const code = accountStatusCode(ue, pmm, true, params.warnRatio, params.backstopFraction);
      worst = worseStatusCode(worst, code);
      const plan = ue <= pmm ? planPartialLiquidation(ue, [{ market: p.market, qty: p.qty, markPrice: price }], params) : null;
      units.push({ position: p, equity: ue, maintenanceMargin: pmm, status: ACCOUNT_STATUSES[code]!, plan, notional: x });
      continue;
    }
    equity += upnl;
    mm += pmm;
    notional += x;
    held++;
  }
  const crossCode = accountStatusCode(equity, mm, held > 0, params.warnRatio, params.backstopFraction);
  const status = ACCOUNT_STATUSES[worseStatusCode(worst, crossCode)]!;
  let plan: LiquidationPlan | null = null;
  if (held > 0 && equity <= mm) {
    const planned: PlanPosition[] = [];
    for (const p of account.positions) {
      if (p.lots > 0 && p.isolatedMargin === null) planned.push({ market: p.market, qty: p.qty, markPrice: marks.get(p.market.id)! });
    }
    plan = planPartialLiquidation(equity, planned, params);
  }
  return { equity, maintenanceMargin: mm, status, plan, notional, units };
}

/** Whether any unit of an assessed account (cross part or isolated position) has a plan to execute. */
export function hasPlan(a: Assessment): boolean {
  return a.plan !== null || a.units.some((u) => u.plan !== null);
}

/**
 * Executes a plan's closes at their expected prices: each close realizes
 * `s·x·(expectedPrice − entry)` and pays its fee, so equity falls by exactly slippage + fee
 * (spec §5). An account left with a deficit (no positions, negative equity) ends at collateral 0:
 * the deficit goes to the insurance fund. `plan` is the cross part's (its closes name cross positions).
 */
export function executePlan(account: StressAccount, plan: LiquidationPlan): void {
  for (const close of plan.closes) {
    const p = account.positions.find((x) => x.market.id === close.marketId && x.lots > 0 && x.isolatedMargin === null);
    if (!p) throw new RangeError(`account ${account.id}: no open cross position in ${close.marketId}`);
    const closeLots = lotsOfQty(p.market, close.qty);
    account.collateral += p.sign * close.qty * (close.expectedPrice - p.entryPrice) - close.fee;
    p.lots -= closeLots;
    p.qty = p.sign * qtyOfLots(p.market, p.lots);
  }
  if (plan.deficit > 0) account.collateral = 0;
}

/**
 * Executes an isolated unit's plan (spec §11) like `executePlan`, against the position's own
 * margin: a deficit goes to the insurance fund (the margin ends at 0), never to the cross collateral.
 * The margin left on a closed isolated position stays with it (not released to the cross part).
 */
export function executeUnitPlan(position: StressPosition, plan: LiquidationPlan): void {
  if (position.isolatedMargin === null) throw new RangeError(`${position.market.id}: not an isolated position`);
  for (const close of plan.closes) {
    const closeLots = lotsOfQty(position.market, close.qty);
    position.isolatedMargin += position.sign * close.qty * (close.expectedPrice - position.entryPrice) - close.fee;
    position.lots -= closeLots;
    position.qty = position.sign * qtyOfLots(position.market, position.lots);
  }
  if (plan.deficit > 0) position.isolatedMargin = 0;
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
