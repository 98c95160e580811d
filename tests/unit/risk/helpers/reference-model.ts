/**
 * An independent, deliberately plain transcription of the spec's formulas, used by the tests to
 * check the model: no compiled markets, no shared code with lib/risk. Slow and obvious on purpose.
 */
import type { MarketParams } from "@/lib/risk";

/** 0-based tier: the first with `N <= maxNotional`, else the last (spec §2). */
export function refTier(m: MarketParams, notional: number): number {
  for (let k = 0; k < m.tiers.length; k++) {
    const cap = m.tiers[k]!.maxNotional;
    if (cap === null || notional <= cap) return k;
  }
  return m.tiers.length - 1;
}

/** `cum_k` by the spec's recurrence. */
export function refCum(m: MarketParams, k: number): number {
  let cum = 0;
  for (let j = 1; j <= k; j++) cum += m.tiers[j - 1]!.maxNotional! * (m.tiers[j]!.mmr - m.tiers[j - 1]!.mmr);
  return cum;
}

export function refMM(m: MarketParams, notional: number): number {
  const k = refTier(m, notional);
  return notional * m.tiers[k]!.mmr - refCum(m, k);
}

export function refIM(m: MarketParams, notional: number): number {
  return notional / m.tiers[refTier(m, notional)]!.maxLeverage;
}

/** Slippage plus fee of closing notional `X` (spec §5). */
export function refCloseCost(m: MarketParams, notional: number): number {
  const a = m.liquidity.halfSpreadBps / 10000 + (0.005 * notional) / m.liquidity.depthPer1Pct;
  return notional * a + m.liquidationFeeRate * notional;
}

export interface RefPosition {
  readonly market: MarketParams;
  readonly qty: number;
  readonly entryPrice: number;
  readonly markPrice: number;
}

/** Equity and maintenance margin of collateral plus positions (spec §3). */
export function refAccount(collateral: number, positions: readonly RefPosition[]): { equity: number; mm: number; scale: number } {
  let equity = collateral;
  let mm = 0;
  let scale = Math.abs(collateral);
  for (const p of positions) {
    if (p.qty === 0) continue;
    equity += p.qty * (p.markPrice - p.entryPrice);
    mm += refMM(p.market, Math.abs(p.qty) * p.markPrice);
    scale += Math.abs(p.qty) * (p.markPrice + p.entryPrice);
  }
  return { equity, mm, scale };
}

/** The decimal quantity of `lots` lots, written the way the spec asks (lot size decimals). */
export function refQty(m: MarketParams, lots: number): number {
  const decimals = (String(m.lotSize).split(".")[1] ?? "").length;
  return Number((lots * m.lotSize).toFixed(decimals));
}

export function refLots(m: MarketParams, qty: number): number {
  return Math.round(Math.abs(qty) / m.lotSize);
}
