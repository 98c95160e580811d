import type { AccountInput, MarketBook, MarkPrices } from "./account-input";
import { evaluateAccount } from "./evaluate-account";
import type { LiquidationPlan } from "./plan-partial-liquidation";
import type { RiskParams } from "./risk-params";

/** What would happen if liquidation started now: the mark that starts it and the plan at that mark. */
export interface LiquidationTrigger {
  /** The market whose move reaches maintenance margin soonest (the nearest liquidation price). */
  readonly marketId: string;
  /** Its liquidation price on the market's tick grid, rounded the adverse way: the first tick at which the account is liquidatable. */
  readonly markPrice: number;
  /** The engine's plan at that mark, every other mark unchanged (spec §6). */
  readonly plan: LiquidationPlan;
  /** The cool-down between two partial steps: the time left to add collateral after the first step. */
  readonly cooldownMs: number;
}

/** Ticks tried past the rounded liquidation price when float rounding leaves the account on the line. */
const MAX_EXTRA_TICKS = 3;

/**
 * For an account whose cross part is above maintenance margin: the nearest liquidation price of a cross position (spec §4; the market
 * with the smallest relative distance from its mark) and the plan the engine would apply at it.
 * null when the account is already at or below maintenance (its current plan applies) or no single
 * market's move can liquidate it.
 */
export function liquidationTrigger(account: AccountInput, markets: MarketBook, marks: MarkPrices, params: RiskParams): LiquidationTrigger | null {
  const now = evaluateAccount(account, markets, marks, params);
  if (now.liquidation.mode !== "none") return null;
  const nearest = now.positions
    // Cross positions only: the plan below is the cross part's (an isolated position is its own unit, spec §11).
    .filter((p) => p.marginMode !== "isolated" && p.liquidationPrice !== null && (marks.get(p.marketId) ?? 0) > 0)
    .map((p) => ({ p, distance: Math.abs(p.liquidationPrice! - marks.get(p.marketId)!) / marks.get(p.marketId)! }))
    .sort((a, b) => a.distance - b.distance)[0];
  if (!nearest) return null;
  const { marketId, qty, liquidationPrice } = nearest.p;
  const tick = markets.get(marketId)!.tickSize;
  const long = qty > 0;
  const onGrid = (long ? Math.floor(liquidationPrice! / tick) : Math.ceil(liquidationPrice! / tick)) * tick;
  for (let extra = 0; extra <= MAX_EXTRA_TICKS; extra++) {
    const markPrice = Number((onGrid + (long ? -extra : extra) * tick).toPrecision(15));
    if (!(markPrice > 0)) return null;
    const plan = evaluateAccount(account, markets, new Map(marks).set(marketId, markPrice), params).liquidation;
    if (plan.mode !== "none") return { marketId, markPrice, plan, cooldownMs: params.cooldownMs };
  }
  return null;
}
