import { figuresOfResolved, isIsolated, resolvePositions, type AccountFigures, type PositionFigures } from "./account-figures";
import type { AccountInput, MarketBook, MarkPrices } from "./account-input";
import type { AccountStatus } from "./account-status";
import { isolatedUnitPlan } from "./isolated-unit";
import { planPartialLiquidation, type LiquidationPlan } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/** A position of the evaluate output: its figures, and for an isolated one (spec §11) its own plan. */
export interface PositionEvaluation extends PositionFigures {
  /** Present only on an isolated position: the plan of spec §6 for that unit alone. */
  readonly liquidation?: LiquidationPlan;
}

/**
 * One account of the evaluate output (spec §10, §11): id, cross figures, status (the worst of its
 * units), positions, and `liquidation`, the plan of its cross part. `crossStatus` is present only
 * when the account holds an isolated position (so a cross-only account keeps spec §10's shape).
 */
export interface AccountEvaluation extends Omit<AccountFigures, "crossStatus" | "positions"> {
  readonly id: string;
  readonly crossStatus?: AccountStatus;
  readonly positions: PositionEvaluation[];
  readonly liquidation: LiquidationPlan;
}

/** Figures (spec §3, §4, §11) and liquidation plans (spec §6: cross part and each isolated unit) of one account at the given marks. */
export function evaluateAccount(
  account: AccountInput,
  markets: MarketBook,
  marks: MarkPrices,
  params: RiskParams,
): AccountEvaluation {
  const resolved = resolvePositions(account, markets, marks);
  const figures = figuresOfResolved(account.collateral, resolved, params);
  const cross = resolved.filter((p) => !isIsolated(p));
  const isolated = cross.length < resolved.length;
  const positions: PositionEvaluation[] = figures.positions.map((p, i) => {
    const r = resolved[i]!;
    return isIsolated(r) ? { ...p, liquidation: isolatedUnitPlan(r, params) } : p;
  });
  return {
    id: account.id,
    equity: figures.equity,
    maintenanceMargin: figures.maintenanceMargin,
    initialMargin: figures.initialMargin,
    marginRatio: figures.marginRatio,
    health: figures.health,
    status: figures.status,
    ...(isolated ? { crossStatus: figures.crossStatus } : {}),
    positions,
    liquidation: planPartialLiquidation(figures.equity, cross, params),
  };
}
