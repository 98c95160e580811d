import type { MarketView } from "@/lib/contracts/markets";

/** How current the marks behind some figures are. */
export interface MarksAsOf {
  /** The time of the oldest mark used (epoch ms, server clock); null when none has a mark. */
  ts: number | null;
  /** Markets without a fresh price (the figures use their last mark), in id order. */
  stale: string[];
  /** Markets that have never had a price (figures that need them are unknown), in id order. */
  unpriced: string[];
}

/**
 * The marks behind figures that use `markets` (all of them when `only` is omitted): a figure is no
 * newer than its oldest mark, so its age is measured from that mark's time, never from when the
 * server last summed it (after a restart without a feed, "2 h ago", not "0.7 s ago").
 */
export function marksAsOf(markets: readonly MarketView[], only?: ReadonlySet<string>): MarksAsOf {
  let ts: number | null = null;
  const stale: string[] = [];
  const unpriced: string[] = [];
  for (const m of markets) {
    if (only && !only.has(m.id)) continue;
    if (m.mark === null || m.markTs === null) {
      unpriced.push(m.id);
      continue;
    }
    if (m.stale) stale.push(m.id);
    if (ts === null || m.markTs < ts) ts = m.markTs;
  }
  return { ts, stale: stale.sort(), unpriced: unpriced.sort() };
}

/** A figure's age: the older of when the server computed it and its oldest mark. */
export function figureTs(computedAt: number, marks: MarksAsOf): number {
  return marks.ts === null ? computedAt : Math.min(computedAt, marks.ts);
}
