import type { CompiledMarket } from "./compile-market";

/** Side of the order that closes a position: a long is closed by a sell, a short by a buy. */
export type CloseSide = "buy" | "sell";

/** One planned close (spec §6 output). Figures in USD, `qty` in base units (positive). */
export interface Close {
  readonly marketId: string;
  readonly side: CloseSide;
  readonly qty: number;
  readonly markPrice: number;
  readonly expectedPrice: number;
  readonly notional: number;
  readonly slippageCost: number;
  readonly fee: number;
  /**
   * Present (and `true`) only when the close's average impact `a(X) >= 1`: spec §5's linear book
   * has no depth left for it, so `expectedPrice` (`P·(1 − a)` <= 0 for a sell) is the formula's
   * value, not a price anyone would fill at. Such a close is never executed (`BEYOND_DEPTH`).
   */
  readonly beyondDepth?: true;
}

/** Why a close with `beyondDepth` is not executed: the desk handles it by hand (backstop, ADL). */
export const BEYOND_DEPTH = "impact beyond the book's depth: expected price ≤ 0 (a(X) ≥ 1)";

/** Average price impact of closing notional `X`: `halfSpreadBps/10000 + 0.005·X/depthPer1Pct` (spec §5). */
export function averageImpact(market: CompiledMarket, notional: number): number {
  return market.halfSpread + (0.005 * notional) / market.depthPer1Pct;
}

/**
 * What closing `X` of notional costs the account's equity: `slippageCost + fee` with
 * `slippageCost = X·a(X)` and `fee = liquidationFeeRate·X` (spec §5). The hot-path form.
 */
export function closeCost(market: CompiledMarket, notional: number): number {
  return notional * (market.halfSpread + (0.005 * notional) / market.depthPer1Pct) + market.liquidationFeeRate * notional;
}

/**
 * Execution cost of closing `qty` (positive base units) of a position on side `positionSign`
 * (`+1` long, `-1` short) at mark `markPrice`, against the market's liquidity (spec §5).
 */
export function executionCost(market: CompiledMarket, positionSign: number, qty: number, markPrice: number): Close {
  const notional = qty * markPrice;
  const impact = market.halfSpread + (0.005 * notional) / market.depthPer1Pct;
  const long = positionSign > 0;
  const close: Close = {
    marketId: market.id,
    side: long ? "sell" : "buy",
    qty,
    markPrice,
    expectedPrice: long ? markPrice * (1 - impact) : markPrice * (1 + impact),
    notional,
    slippageCost: notional * impact,
    fee: market.liquidationFeeRate * notional,
  };
  // The key only when it holds, so that every close within the book's depth keeps spec §6's shape.
  return impact >= 1 ? { ...close, beyondDepth: true } : close;
}
