"use client";
import { formatAge } from "@/lib/format/age";
import { useNow } from "@/lib/client/use-now";

/**
 * How old a live figure is, counting up every second. Past `staleAfterMs`, or when the server
 * says the figure is stale, it is marked stale rather than shown as current.
 */
export function Age({ ts, stale, staleAfterMs }: { ts: number | null; stale: boolean; staleAfterMs: number }) {
  const now = useNow();
  if (ts === null) return <span className="age age-none">no data yet</span>;
  const age = now - ts;
  const isStale = stale || age > staleAfterMs;
  return (
    <span className={isStale ? "age age-stale" : "age"} suppressHydrationWarning
      title={`last update ${new Date(ts).toISOString()}`}>
      {isStale ? "STALE · " : ""}{formatAge(age)} ago
    </span>
  );
}
