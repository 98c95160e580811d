import type { CompiledMarket } from "./compile-market";

/** `MM(N) = N * mmr_k - cum_k` in the tier `k` of `N` (spec §2). Continuous and convex in `N`. */
export function maintenanceMargin(market: CompiledMarket, notional: number): number {
  const caps = market.caps;
  let k = 0;
  while (notional > caps[k]!) k++;
  return notional * market.mmr[k]! - market.cum[k]!;
}
