"use client";
import { useMemo } from "react";
import type { AccountView } from "@/lib/contracts/book-views";
import type { MarketView } from "@/lib/contracts/markets";
import { figureTs, marksAsOf } from "./marks-as-of";

/**
 * How current an account's figures are: as old as the oldest mark of a market it holds (or when
 * the server computed them, if older), and stale while any of those markets has no fresh price or
 * never had one.
 */
export function useHeldMarks(markets: readonly MarketView[], view: AccountView, computedAt: number): { ts: number; stale: boolean } {
  const held = useMemo(() => new Set(view.positions.map((p) => p.marketId)), [view.positions]);
  const marks = useMemo(() => marksAsOf(markets, held), [markets, held]);
  return { ts: figureTs(computedAt, marks), stale: marks.stale.length > 0 || marks.unpriced.length > 0 };
}
