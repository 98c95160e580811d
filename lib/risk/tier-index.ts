import type { CompiledMarket } from "./compile-market";

/**
 * 0-based tier of a notional: the first tier whose cap is `>= notional` (a notional exactly on a
 * cap belongs to the lower tier); above every cap, the last tier. Report `tierIndex + 1` as `tier`.
 */
export function tierIndex(market: CompiledMarket, notional: number): number {
  const caps = market.caps;
  let k = 0;
  // caps[tierCount - 1] is Infinity, so the scan always stops inside the array.
  while (notional > caps[k]!) k++;
  return k;
}
