/** Spec §7: the mark of a market from its sources' latest prices (pure; kept per market on the main thread by lib/server/markets). */
export interface SourcePrice {
  price: number;
  /** The source's own timestamp of the price, epoch ms: its sequence (older ignored, duplicate no-op). */
  ts: number;
  /** When the server received the price, epoch ms (server clock): what freshness is judged by (spec §7). */
  receivedAt: number;
}

/** Whether a source price still counts at `now`: received no more than staleAfterMs ago (spec §7). */
export function isFresh(p: SourcePrice, now: number, staleAfterMs: number): boolean {
  return now - p.receivedAt <= staleAfterMs;
}

/**
 * The mark of a market (spec §7): the median of the latest price of every source received within
 * staleAfterMs of `now`. `null` when no source is fresh: the market is stale.
 */
export function markPrice(sources: Iterable<SourcePrice>, now: number, staleAfterMs: number): number | null {
  const fresh: number[] = [];
  for (const s of sources) if (isFresh(s, now, staleAfterMs)) fresh.push(s.price);
  if (fresh.length === 0) return null;
  fresh.sort((a, b) => a - b);
  const mid = fresh.length >> 1;
  return fresh.length % 2 === 1 ? fresh[mid]! : (fresh[mid - 1]! + fresh[mid]!) / 2;
}
