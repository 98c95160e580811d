import { A_COLLATERAL, A_MM, A_STRIDE, A_UPNL } from "../book/account-record";
import type { BookState } from "../book/book-state";
import type { RatioHistogram } from "@/lib/contracts/book-views";

/** Lower edges of the margin-ratio histogram: 0–150% in steps of 10%, then open-ended. */
export const RATIO_EDGES: readonly number[] = Array.from({ length: 16 }, (_, i) => Number((i * 0.1).toFixed(1)));

/**
 * Counts accounts into the margin-ratio histogram (spec §3 ratio `MM / equity`): accounts without
 * a position are `flat`, accounts with equity <= 0 (no ratio) `bankrupt`, accounts whose figures
 * are unknown (a position in a market never priced) `unknown`, the rest by ratio.
 */
class RatioHistogramCounter {
  private readonly counts = RATIO_EDGES.map(() => 0);
  private bankrupt = 0;
  private flat = 0;
  private unknown = 0;

  addUnknown(): void {
    this.unknown++;
  }

  add(equity: number, maintenanceMargin: number, hasPositions: boolean): void {
    if (!hasPositions) {
      this.flat++;
      return;
    }
    if (!(equity > 0)) {
      this.bankrupt++;
      return;
    }
    const ratio = maintenanceMargin / equity;
    let i = RATIO_EDGES.length - 1;
    while (i > 0 && ratio < RATIO_EDGES[i]!) i--;
    this.counts[i]!++;
  }

  result(): RatioHistogram {
    return { edges: [...RATIO_EDGES], counts: [...this.counts], bankrupt: this.bankrupt, flat: this.flat, unknown: this.unknown };
  }
}

/** The margin-ratio distribution of every account, from the kept sums (no resync). */
export function ratioHistogram(book: Readonly<BookState>): RatioHistogram {
  const counter = new RatioHistogramCounter();
  const acc = book.acc;
  for (let a = 0; a < book.ids.length; a++) {
    if (book.units.isUnit(a)) continue;
    const b = a * A_STRIDE;
    if (book.unpriced[a]! > 0) {
      counter.addUnknown();
      continue;
    }
    counter.add(acc[b + A_COLLATERAL]! + acc[b + A_UPNL]!, acc[b + A_MM]!, book.count[a]! > 0);
  }
  return counter.result();
}
