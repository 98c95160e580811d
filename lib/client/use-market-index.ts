"use client";
import { useMemo } from "react";
import type { MarketView } from "@/lib/contracts/markets";
import { marketIndex, type MarketDisplay } from "./market-index";

/**
 * Markets by id for display (tick and lot decimals, base asset), as one object that changes only
 * when a market's parameters do, not with every mark: tables keyed on it do not redraw per tick.
 */
export function useMarketIndex(markets: readonly MarketView[]): Map<string, MarketDisplay> {
  const key = markets.map((m) => `${m.id}|${m.baseAsset}|${m.tickSize}|${m.lotSize}`).join(",");
  return useMemo(() => {
    const params = key ? key.split(",").map((part) => {
      const [id = "", baseAsset = "", tickSize = "0", lotSize = "0"] = part.split("|");
      return { id, baseAsset, tickSize: Number(tickSize), lotSize: Number(lotSize) };
    }) : [];
    return marketIndex(params.map((p) => ({ ...p, mark: null, markTs: null, stale: false, sources: [], history: [] })));
  }, [key]);
}
