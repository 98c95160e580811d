export interface SourcePrice {
  price: number;
  /** Exchange timestamp of the price, epoch ms. */
  ts: number;
}

/**
 * The mark of a market (spec §7): the median of the latest price of every source fresher than
 * staleAfterMs at `now`. `null` when no source is fresh: the market is stale.
 */
export function markPrice(sources: Iterable<SourcePrice>, now: number, staleAfterMs: number): number | null {
  const fresh: number[] = [];
  for (const s of sources) if (now - s.ts <= staleAfterMs) fresh.push(s.price);
  if (fresh.length === 0) return null;
  fresh.sort((a, b) => a - b);
  const mid = fresh.length >> 1;
  return fresh.length % 2 === 1 ? fresh[mid]! : (fresh[mid - 1]! + fresh[mid]!) / 2;
}
