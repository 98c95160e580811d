/**
 * The pure risk model of spec/risk-model.md (§2–§6, §8, §9, §11's isolated margin and closing fee
 * in maintenance, and the settlement of an executed step, §5/§7, in exact decimals): no I/O, no
 * clock, no globals.
 * Two layers: primitives on compiled markets and flat arrays for the live engine's hot path, and
 * a friendly object API (`evaluateScenario`, `stressTest`) used by the CLI and the HTTP API.
 */
export type { MarketParams, TierParams, LiquidityParams } from "./market-params";
export { DEFAULT_RISK_PARAMS, resolveRiskParams, type RiskParams } from "./risk-params";
export { decimalPlaces, parseLotSize, MAX_LOT_DECIMALS, type LotSize } from "./lot-size";
export { compileMarket, type CompiledMarket } from "./compile-market";
export { validateMarket } from "./validate-market";
export { tierIndex } from "./tier-index";
export { maintenanceMargin } from "./maintenance-margin";
export { initialMargin } from "./initial-margin";
export {
  ACCOUNT_STATUSES,
  STATUS_HEALTHY,
  STATUS_WARNING,
  STATUS_LIQUIDATABLE,
  STATUS_BACKSTOP,
  STATUS_BANKRUPT,
  STATUS_UNKNOWN,
  LIVE_STATUSES,
  accountStatus,
  accountStatusCode,
  worseStatusCode,
  worstStatus,
  type AccountStatus,
  type LiveStatus,
} from "./account-status";
export { marginRatio, health } from "./margin-ratio";
export { isFresh, markPrice, type SourcePrice } from "./mark-price";
export {
  MARGIN_MODES,
  isolatedMarginOf,
  type AccountInput,
  type PositionInput,
  type MarginMode,
  type MarketBook,
  type MarkPrices,
} from "./account-input";
export {
  accountFigures,
  figuresOfResolved,
  isIsolated,
  isIsolatedFigures,
  resolvePositions,
  type AccountFigures,
  type IsolatedPositionFigures,
  type PositionFigures,
  type ResolvedPosition,
} from "./account-figures";
export { isolatedUnitFigures, isolatedUnitPlan, type IsolatedUnitFigures, type IsolatedUnitInput } from "./isolated-unit";
export {
  accountFiguresColumnar,
  NOT_A_UNIT,
  type AccountColumns,
  type AccountFigureColumns,
  type PositionColumns,
  type PositionFigureColumns,
} from "./account-figures-columnar";
export { liquidationPrice } from "./liquidation-price";
export { averageImpact, BEYOND_DEPTH, closeCost, executionCost, type Close, type CloseSide } from "./execution-cost";
export {
  planPartialLiquidation,
  smallestRestoringLots,
  stepCapLots,
  qtyOfLots,
  lotsOfQty,
  unexecutableReason,
  type LiquidationMode,
  type LiquidationPlan,
  type PlanPosition,
} from "./plan-partial-liquidation";
export { topUpToSafe, smallestAmountAbove } from "./top-up-to-safe";
export { evaluateAccount, type AccountEvaluation, type PositionEvaluation } from "./evaluate-account";
export { buildMarketBook } from "./market-book";
export type { RiskScenario } from "./risk-scenario";
export { validateScenario, validateRiskParams, validateLotQuantity, validateMarginMode } from "./validate-scenario";
export { evaluateScenario, type EvaluateResult } from "./evaluate-scenario";
export { RiskInputError, type RiskIssue } from "./risk-issue";
export { DEFAULT_MAX_ROUNDS, MAX_ROUNDS_LIMIT, SHOCK_MAX, SHOCK_MIN, type StressScenario } from "./stress-scenario";
export { shockRangeMessage, validateStressScenario } from "./validate-stress-scenario";
export {
  stressAccountsOf,
  assessStressAccount,
  executePlan,
  executeUnitPlan,
  hasPlan,
  coverDeficits,
  type StressAccount,
  type StressPosition,
  type StatusCounts,
  type InsuranceFundCover,
  type Assessment,
  type UnitAssessment,
} from "./stress-book";
export { evaluateShock, type ShockReport, type AccountDeficit } from "./stress";
export { impactedMark, runCascade, type CascadeReport, type CascadeRound, type CascadeMarketRound } from "./cascade";
export { stressTest, runStressTest, shockMarks, type StressResult } from "./stress-test";
export {
  liquidationMap,
  type LiquidationMap,
  type LiquidationMapBucket,
  type LiquidationMapOptions,
  type LiquidationMapSide,
  type MapPosition,
} from "./liquidation-map";
export { topUpEffect, type TopUpFigures } from "./top-up-effect";
export { addMarginEffect, type AddMarginFigures } from "./add-margin-effect";
export { liquidationTrigger, type LiquidationTrigger } from "./liquidation-trigger";
export { Exact, exact, LEDGER_DECIMALS } from "./exact-decimal";
export {
  closeMismatch,
  liquidationFill,
  settleLiquidationStep,
  type Amount,
  type CollateralEntryKind,
  type Fill,
  type FillInput,
  type FundEntryKind,
  type MarginBalance,
  type Settlement,
  type SettlementEntry,
  type SettlementState,
} from "./settle-liquidation-step";
