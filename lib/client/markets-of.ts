import type { MarketsResponse, MarketView } from "@/lib/contracts/markets";

/**
 * A selector of the markets named in `ids` (in the list's order) that returns the array it returned
 * before while none of those markets changed. Markets are compared by identity: a delta keeps every
 * market it did not change (apply-markets-delta.ts), so a tick of another market selects nothing new.
 */
export function marketsOfSelector(ids: ReadonlySet<string>): (data: MarketsResponse) => readonly MarketView[] {
  let last: readonly MarketView[] | null = null;
  return (data) => {
    const next = data.markets.filter((m) => ids.has(m.id));
    if (last && next.length === last.length && next.every((m, i) => m === last![i])) return last;
    last = next;
    return next;
  };
}
