import type { MarketsResponse } from "@/lib/contracts/markets";
import type { MarketsDelta } from "@/lib/contracts/socket-events";

/** Points of mark history the browser keeps per market (matches the server's five minutes). */
const HISTORY_POINTS = 300;
const HISTORY_STEP_MS = 1000;

/**
 * The markets snapshot with a delta applied. A delta not newer than the snapshot is dropped
 * (the same object comes back, so nothing re-renders).
 */
export function applyMarketsDelta(current: MarketsResponse, delta: MarketsDelta): MarketsResponse {
  if (delta.seq <= current.seq) return current;
  const byId = new Map(delta.updates.map((u) => [u.marketId, u]));
  return {
    seq: delta.seq,
    serverTime: delta.serverTime,
    markets: current.markets.map((m) => {
      const u = byId.get(m.id);
      if (!u) return m;
      let history = m.history;
      if (u.mark !== null && !u.stale && u.markTs !== null) {
        const last = history[history.length - 1];
        history = last && delta.serverTime - last.ts < HISTORY_STEP_MS
          ? [...history.slice(0, -1), { ts: last.ts, mark: u.mark }]
          : [...history, { ts: delta.serverTime, mark: u.mark }].slice(-HISTORY_POINTS);
      }
      return { ...m, mark: u.mark, markTs: u.markTs, stale: u.stale, sources: u.sources, history };
    }),
  };
}

/**
 * Whether a newer delta names a market the snapshot does not list (one created while the page was
 * open: `npm run markets -- import`): only a fresh snapshot can show it, with its tick and lot sizes.
 */
export function namesUnknownMarket(current: MarketsResponse, delta: MarketsDelta): boolean {
  if (delta.seq <= current.seq) return false;
  const known = new Set(current.markets.map((m) => m.id));
  return delta.updates.some((u) => !known.has(u.marketId));
}
