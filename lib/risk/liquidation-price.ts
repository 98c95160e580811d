import type { CompiledMarket } from "./compile-market";

/**
 * Cross-margin liquidation price of one position (spec §4): the mark of its market at which the
 * account's equity equals its maintenance margin, every other market held at its current mark.
 *
 * - `qty`: the position's signed quantity (`+` long, `-` short), non-zero;
 * - `restSurplus`: `C' - M'`, i.e. collateral plus the unrealized PnL of the other positions minus
 *   their maintenance margin. From account totals: `(equity - MM) - (upnl_i - mm_i)`.
 *
 * `f(P) = restSurplus + s·Q·(P − entry) − MM(Q·P)` is monotone in `P` (increasing for a long,
 * decreasing for a short, as every `mmr < 1`). The tier holding the root is found by the sign of
 * `f` at the tier caps, then the root is the spec's closed form
 * `P_k = (C' − M' + cum_k − s·Q·entry) / (Q·mmr_k − s·Q)`, clamped into that tier's price range so
 * that rounding never pushes it across a cap. Returns `null` when no positive price qualifies: a
 * long that no fall can liquidate (`f(0) >= 0`), or a short under maintenance even at price 0.
 */
export function liquidationPrice(
  market: CompiledMarket,
  qty: number,
  entryPrice: number,
  restSurplus: number,
): number | null {
  const q = Math.abs(qty);
  if (!(q > 0)) return null;
  const s = qty > 0 ? 1 : -1;
  const f0 = restSurplus - s * q * entryPrice;
  // At P = 0 the position's MM is 0. A long needs f(0) < 0 to have a root above 0; a short f(0) > 0.
  if (s > 0 ? f0 >= 0 : f0 <= 0) return null;
  const caps = market.caps;
  const mmr = market.mmr;
  const cum = market.cum;
  const last = market.tierCount - 1;
  let k = 0;
  for (; k < last; k++) {
    const cap = caps[k]!;
    // f at the price where this position's notional equals the tier cap.
    const fCap = f0 + s * cap - (cap * mmr[k]! - cum[k]!);
    if (s > 0 ? fCap >= 0 : fCap <= 0) break;
  }
  const price = (restSurplus + cum[k]! - s * q * entryPrice) / (q * mmr[k]! - s * q);
  const low = k === 0 ? 0 : caps[k - 1]! / q;
  const high = caps[k]! / q;
  const clamped = price < low ? low : price > high ? high : price;
  return clamped > 0 ? clamped : null;
}
