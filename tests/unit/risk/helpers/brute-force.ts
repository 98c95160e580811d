import type { MarketParams } from "@/lib/risk";
import { refCloseCost, refMM, refQty } from "./reference-model";

/**
 * The smallest whole-lot close of a position of `lots` lots that restores
 * `equity' >= (1 + targetBuffer) · MM'`, found by trying every lot in turn (0 when none does).
 */
export function bruteForceSmallestLots(
  market: MarketParams,
  lots: number,
  markPrice: number,
  equity: number,
  restMm: number,
  targetBuffer: number,
): number {
  for (let n = 1; n <= lots; n++) {
    const closed = refQty(market, n) * markPrice;
    const remaining = refQty(market, lots - n) * markPrice;
    if (equity - refCloseCost(market, closed) >= (1 + targetBuffer) * (restMm + refMM(market, remaining))) return n;
  }
  return 0;
}
