import { accountStatus, type AccountStatus } from "./account-status";
import type { CompiledMarket } from "./compile-market";
import { liquidationPrice } from "./liquidation-price";
import { maintenanceMargin } from "./maintenance-margin";
import { health, marginRatio } from "./margin-ratio";
import { planPartialLiquidation, type LiquidationPlan } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/**
 * Spec §11: an isolated position is a one-position account whose collateral is its
 * `isolatedMargin`. Its figures (§3), liquidation price (§4 with `C' = isolatedMargin`, `M' = 0`)
 * and plan (§6) never read the account's cross collateral or its other positions.
 */
export interface IsolatedUnitFigures {
  /** `isolatedMargin + unrealizedPnl`. */
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly marginRatio: number | null;
  readonly health: number | null;
  readonly status: AccountStatus;
  readonly liquidationPrice: number | null;
}

/** What an isolated unit is made of: its market, signed quantity, entry, mark and margin. */
export interface IsolatedUnitInput {
  readonly market: CompiledMarket;
  readonly qty: number;
  readonly entryPrice: number;
  readonly markPrice: number;
  /** USD, finite; may be negative (a debt the fund did not cover). */
  readonly isolatedMargin: number;
}

/**
 * Figures of one isolated position (spec §11), from its own unrealized PnL and maintenance margin
 * (as `accountFigures` computes them: `qty·(mark − entry)` and `MM(|qty|·mark)`).
 */
export function isolatedUnitFigures(
  unit: Pick<IsolatedUnitInput, "market" | "qty" | "entryPrice" | "isolatedMargin">,
  unrealizedPnl: number,
  maintenanceMargin: number,
  params: Pick<RiskParams, "warnRatio" | "backstopFraction">,
): IsolatedUnitFigures {
  const has = unit.qty !== 0;
  const equity = unit.isolatedMargin + unrealizedPnl;
  return {
    equity,
    maintenanceMargin,
    marginRatio: marginRatio(equity, maintenanceMargin, has),
    health: health(equity, maintenanceMargin, has),
    status: accountStatus(equity, maintenanceMargin, has, params.warnRatio, params.backstopFraction),
    liquidationPrice: has ? liquidationPrice(unit.market, unit.qty, unit.entryPrice, unit.isolatedMargin) : null,
  };
}

/** The plan of spec §6 for one isolated position: the unit alone, at equity `isolatedMargin + uPnL`. */
export function isolatedUnitPlan(unit: IsolatedUnitInput, params: RiskParams): LiquidationPlan {
  const equity = unit.isolatedMargin + unit.qty * (unit.markPrice - unit.entryPrice);
  if (unit.qty !== 0) {
    // Above maintenance: mode none, the planner's own answer, without its allocations (the common case).
    const mm = maintenanceMargin(unit.market, Math.abs(unit.qty) * unit.markPrice);
    if (equity > mm) return { mode: "none", closes: [], nextStep: null, after: { equity, maintenanceMargin: mm }, deficit: Math.max(0, -equity) };
  }
  return planPartialLiquidation(equity, [{ market: unit.market, qty: unit.qty, markPrice: unit.markPrice }], params);
}
