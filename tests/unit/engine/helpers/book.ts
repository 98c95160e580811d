import { LiveBook, type LiveBookOptions } from "@/lib/engine";
import type { MarketParams } from "@/lib/risk";
import { MARKETS, PRICES } from "./markets";

/** A live book with the spec's markets priced at the example marks. */
export function pricedBook(options: LiveBookOptions = {}, markets: readonly MarketParams[] = MARKETS, prices = PRICES): LiveBook {
  const book = new LiveBook(options);
  for (const m of markets) book.upsertMarket(m);
  for (const m of markets) book.setMark(m.id, prices[m.id]!);
  return book;
}

/**
 * `a` and `b` agree to 1e-9 relative to `scale`, the magnitude of the terms they are sums of
 * (two float sums of the same terms in another order or by deltas differ by a few ulps of the
 * terms, not of the result, when the terms cancel).
 */
export function closeTo(a: number, b: number, scale: number, rel = 1e-9): boolean {
  return Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b), scale, 1e-300);
}
