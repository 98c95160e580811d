import type { CompiledMarket } from "./compile-market";

/** `IM(N) = N / maxLeverage_k` in the tier `k` of `N` (spec §2). */
export function initialMargin(market: CompiledMarket, notional: number): number {
  const caps = market.caps;
  let k = 0;
  while (notional > caps[k]!) k++;
  return notional / market.maxLeverage[k]!;
}
