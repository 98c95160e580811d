import { figuresOfResolved, resolvePositions, type AccountFigures } from "./account-figures";
import type { AccountInput, MarketBook, MarkPrices } from "./account-input";
import { planPartialLiquidation, type LiquidationPlan } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/** One account of the evaluate output (spec §10): id, figures, positions, plan. */
export interface AccountEvaluation extends AccountFigures {
  readonly id: string;
  readonly liquidation: LiquidationPlan;
}

/** Figures (spec §3, §4) and liquidation plan (spec §6) of one account at the given marks. */
export function evaluateAccount(
  account: AccountInput,
  markets: MarketBook,
  marks: MarkPrices,
  params: RiskParams,
): AccountEvaluation {
  const positions = resolvePositions(account, markets, marks);
  const figures = figuresOfResolved(account.collateral, positions, params);
  return {
    id: account.id,
    equity: figures.equity,
    maintenanceMargin: figures.maintenanceMargin,
    initialMargin: figures.initialMargin,
    marginRatio: figures.marginRatio,
    health: figures.health,
    status: figures.status,
    positions: figures.positions,
    liquidation: planPartialLiquidation(figures.equity, positions, params),
  };
}
