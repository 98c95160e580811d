import type { MarketView } from "@/lib/contracts/markets";

/** What a table needs to show one market's numbers: its tick and lot decimals and base asset. */
export interface MarketDisplay {
  id: string;
  baseAsset: string;
  tickSize: number;
  lotSize: number;
  mark: number | null;
  stale: boolean;
}

const FALLBACK = { tickSize: 0.01, lotSize: 0.001 };

/** Markets by id, for display. */
export function marketIndex(markets: readonly MarketView[]): Map<string, MarketDisplay> {
  return new Map(markets.map((m) => [m.id, { id: m.id, baseAsset: m.baseAsset, tickSize: m.tickSize, lotSize: m.lotSize, mark: m.mark, stale: m.stale }]));
}

/** A market's display parameters, or a neutral fallback for a market the browser does not know yet. */
export function marketDisplay(index: Map<string, MarketDisplay>, id: string): MarketDisplay {
  return index.get(id) ?? { id, baseAsset: id.replace(/-PERP$/, ""), ...FALLBACK, mark: null, stale: false };
}
