"use client";
import type { MarketsResponse } from "@/lib/contracts/markets";
import { useMarkets } from "@/lib/client/use-markets";
import { MarketPriceCard } from "./market-price-card";

/** Every market's live mark price, kept current over socket.io. */
export function MarketPricesPanel({ initial, staleAfterMs }: { initial: MarketsResponse; staleAfterMs: number }) {
  const { data } = useMarkets(initial);
  if (data.markets.length === 0) return <p className="empty">No markets are configured.</p>;
  return (
    <div className="card-grid">
      {data.markets.map((m) => <MarketPriceCard key={m.id} market={m} staleAfterMs={staleAfterMs} />)}
    </div>
  );
}
