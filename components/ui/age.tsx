"use client";
import { formatAge } from "@/lib/format/age";
import { useNow } from "@/lib/client/use-now";

/** How current a live figure or panel is: when it was last confirmed by the server, and whether to distrust it. */
export interface Freshness {
  /** Epoch ms (server clock) of the data shown; null before any arrived. */
  ts: number | null;
  /** Known not to be current (the stream is down, the fetch failed, the server says so). */
  stale: boolean;
  /** Older than this counts as stale too. */
  staleAfterMs: number;
}

/**
 * How old a live figure is, counting up every second. Past `staleAfterMs`, or when it is known
 * not to be current, it is marked stale rather than shown as current.
 */
export function Age({ ts, stale, staleAfterMs }: Freshness) {
  const now = useNow();
  if (ts === null) return <span className="age age-none">no data yet</span>;
  const age = now - ts;
  const isStale = stale || age > staleAfterMs;
  return (
    <span className={isStale ? "age age-stale" : "age"} suppressHydrationWarning data-stale={isStale}
      title={`last update ${new Date(ts).toISOString()}`}>
      {isStale ? "STALE · " : ""}{formatAge(age)} ago
    </span>
  );
}
