import { figuresOfResolved, isIsolated, resolvePositions, type AccountFigures, type PositionFigures, type ResolvedPosition } from "./account-figures";
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
  let cross: ResolvedPosition[] = resolved;
  let isolated = false;
  for (const p of resolved) if (isIsolated(p)) isolated = true;
  if (!isolated) {
    // Spec §10's shape, built as a plain literal (the common, hot case).
    return {
      id: account.id,
      equity: figures.equity,
      maintenanceMargin: figures.maintenanceMargin,
      initialMargin: figures.initialMargin,
      marginRatio: figures.marginRatio,
      health: figures.health,
      status: figures.status,
      positions: figures.positions,
      liquidation: planPartialLiquidation(figures.equity, resolved, params),
    };
  }
  cross = resolved.filter((p) => !isIsolated(p));
  const positions: PositionEvaluation[] = figures.positions.map((p, i) => {
    const r = resolved[i]!;
    if (!isIsolated(r)) return p;
    // A plain literal (an object spread here cost more than the figures themselves).
    return {
      marketId: p.marketId,
      qty: p.qty,
      notional: p.notional,
      unrealizedPnl: p.unrealizedPnl,
      maintenanceMargin: p.maintenanceMargin,
      initialMargin: p.initialMargin,
      tier: p.tier,
      liquidationPrice: p.liquidationPrice,
      marginMode: "isolated",
      isolatedMargin: r.isolatedMargin,
      equity: p.equity!,
      marginRatio: p.marginRatio!,
      health: p.health!,
      status: p.status!,
      liquidation: isolatedUnitPlan(r, params),
    };
  });
  return {
    id: account.id,
    equity: figures.equity,
    maintenanceMargin: figures.maintenanceMargin,
    initialMargin: figures.initialMargin,
    marginRatio: figures.marginRatio,
    health: figures.health,
    status: figures.status,
    crossStatus: figures.crossStatus,
    positions,
    liquidation: planPartialLiquidation(figures.equity, cross, params),
  };
}
