import { isFresh, markPrice, type SourcePrice } from "@/lib/risk/mark-price";

export interface MarketMark {
  marketId: string;
  /** The current mark, or the last one computed while the market is stale; null before any price. */
  mark: number | null;
  /**
   * When the newest source price behind `mark` was received (server clock), epoch ms: the mark's
   * age is measured from it. After a restart, the persisted mark's time.
   */
  markTs: number | null;
  stale: boolean;
  sources: { source: string; price: number; ts: number; receivedAt: number; fresh: boolean }[];
}

/**
 * Latest price per market and source, and the mark derived from them. A price older than the
 * one already held for its source (by the source's own `ts`) is ignored; a duplicate is a no-op
 * (spec §7, sequence). Freshness is judged by when the server received each price, never by the
 * source's `ts` (a feed cannot keep a market fresh by dating its ticks ahead).
 */
export class MarketMarks {
  private readonly latest = new Map<string, Map<string, SourcePrice>>();
  private readonly lastMark = new Map<string, { mark: number; ts: number }>();

  constructor(private readonly staleAfterMs: number) {}

  /** Applies one source price received at `receivedAt`; returns whether it was newer than the one held. */
  apply(marketId: string, source: string, price: number, ts: number, receivedAt: number): boolean {
    let bySource = this.latest.get(marketId);
    if (!bySource) this.latest.set(marketId, (bySource = new Map()));
    const held = bySource.get(source);
    if (held && held.ts >= ts) return false;
    bySource.set(source, { price, ts, receivedAt });
    return true;
  }

  /** Seeds the last computed mark of a market and when it was computed (after a restart). */
  restoreMark(marketId: string, mark: number, ts: number): void {
    const held = this.lastMark.get(marketId);
    if (!held || held.ts < ts) this.lastMark.set(marketId, { mark, ts });
  }

  /** Recomputes the mark of a market at `now`; keeps the last mark while no source is fresh. */
  refresh(marketId: string, now: number): MarketMark {
    const bySource = this.latest.get(marketId) ?? new Map<string, SourcePrice>();
    const fresh = markPrice(bySource.values(), now, this.staleAfterMs);
    if (fresh !== null) {
      let newest = 0;
      for (const p of bySource.values()) if (isFresh(p, now, this.staleAfterMs) && p.receivedAt > newest) newest = p.receivedAt;
      this.lastMark.set(marketId, { mark: fresh, ts: newest });
    }
    const last = this.lastMark.get(marketId);
    return {
      marketId,
      mark: last?.mark ?? null,
      markTs: last?.ts ?? null,
      stale: fresh === null,
      sources: [...bySource.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([source, p]) => ({ source, price: p.price, ts: p.ts, receivedAt: p.receivedAt, fresh: isFresh(p, now, this.staleAfterMs) })),
    };
  }

  marketIds(): string[] {
    return [...this.latest.keys()];
  }
}
