import "server-only";
import { MarketMarks } from "@/lib/server/markets/market-marks";
import type { MarketView, MarkUpdate } from "@/lib/contracts/markets";

export interface MarketInfo {
  id: string;
  baseAsset: string;
  tickSize: number;
  lotSize: number;
}

/** Points of mark history kept per market for the live charts: one a second, five minutes. */
const HISTORY_POINTS = 300;
const HISTORY_STEP_MS = 1000;

/**
 * The live marks of every market with a short history for the charts. Holds only what the
 * browser is shown; Postgres keeps the ticks themselves.
 */
export class LiveMarkets {
  private readonly marks: MarketMarks;
  private readonly info = new Map<string, MarketInfo>();
  private readonly history = new Map<string, { ts: number; mark: number }[]>();
  private readonly lastUpdate = new Map<string, MarkUpdate>();
  /** Markets whose last computed mark (or its time) changed since `takeComputedMarks`. */
  private readonly computed = new Map<string, { mark: number; ts: number }>();

  constructor(markets: MarketInfo[], staleAfterMs: number) {
    this.marks = new MarketMarks(staleAfterMs);
    for (const m of markets) {
      this.info.set(m.id, m);
      this.history.set(m.id, []);
    }
  }

  /** Adds a market (a new one has no mark until its first price) or replaces what is known of it. */
  upsert(info: MarketInfo): void {
    this.info.set(info.id, info);
    if (!this.history.has(info.id)) this.history.set(info.id, []);
  }

  has(marketId: string): boolean {
    return this.info.has(marketId);
  }

  /** Seeds a source's latest price (with when it was received) after a restart. */
  restore(marketId: string, source: string, price: number, ts: number, receivedAt: number): void {
    this.marks.apply(marketId, source, price, ts, receivedAt);
  }

  /** Seeds a market's last computed mark and when it was computed, and its chart history (after a restart). */
  restoreMark(marketId: string, mark: { mark: number; ts: number } | null, history: { ts: number; mark: number }[]): void {
    if (mark) this.marks.restoreMark(marketId, mark.mark, mark.ts);
    const h = this.history.get(marketId);
    if (h && h.length === 0) h.push(...history.slice(-HISTORY_POINTS));
  }

  /** Applies one source price received at `receivedAt`; returns whether it was newer than the one held for that source. */
  applyPrice(marketId: string, source: string, price: number, ts: number, receivedAt: number): boolean {
    return this.marks.apply(marketId, source, price, ts, receivedAt);
  }

  /** Gives back marks whose write failed (a mark computed since wins). */
  returnComputedMarks(marks: { marketId: string; mark: number; ts: number }[]): void {
    for (const m of marks) if (!this.computed.has(m.marketId)) this.computed.set(m.marketId, { mark: m.mark, ts: m.ts });
  }

  /** The marks computed since the last call (one per market, the latest), to be kept durably. */
  takeComputedMarks(): { marketId: string; mark: number; ts: number }[] {
    const out = [...this.computed].map(([marketId, m]) => ({ marketId, ...m }));
    this.computed.clear();
    return out;
  }

  /** Recomputes a market's mark at `now`; returns the update when anything the browser sees changed. */
  refresh(marketId: string, now: number): MarkUpdate | null {
    const m = this.marks.refresh(marketId, now);
    const update: MarkUpdate = { marketId, mark: m.mark, markTs: m.markTs, stale: m.stale, sources: m.sources };
    const previous = this.lastUpdate.get(marketId);
    this.lastUpdate.set(marketId, update);
    if (m.mark !== null && m.markTs !== null && !m.stale && (previous?.mark !== m.mark || previous.markTs !== m.markTs)) {
      this.computed.set(marketId, { mark: m.mark, ts: m.markTs });
    }
    if (m.mark !== null && !m.stale) this.appendHistory(marketId, now, m.mark);
    if (previous && previous.mark === update.mark && previous.markTs === update.markTs && previous.stale === update.stale &&
        sameSources(previous.sources, update.sources)) return null;
    return update;
  }

  private appendHistory(marketId: string, ts: number, mark: number): void {
    const h = this.history.get(marketId);
    if (!h) return;
    const last = h[h.length - 1];
    if (last && ts - last.ts < HISTORY_STEP_MS) {
      last.mark = mark;
      return;
    }
    h.push({ ts, mark });
    if (h.length > HISTORY_POINTS) h.splice(0, h.length - HISTORY_POINTS);
  }

  views(now: number): MarketView[] {
    return [...this.info.values()].map((info) => {
      const m = this.marks.refresh(info.id, now);
      return { ...info, mark: m.mark, markTs: m.markTs, stale: m.stale, sources: m.sources,
        history: [...(this.history.get(info.id) ?? [])] };
    });
  }

  marketIds(): string[] {
    return [...this.info.keys()];
  }
}

function sameSources(a: MarkUpdate["sources"], b: MarkUpdate["sources"]): boolean {
  return a.length === b.length && a.every((s, i) => {
    const t = b[i]!;
    return s.source === t.source && s.price === t.price && s.ts === t.ts && s.receivedAt === t.receivedAt && s.fresh === t.fresh;
  });
}
