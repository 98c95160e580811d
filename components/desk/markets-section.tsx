"use client";
import { memo, useMemo, useState } from "react";
import type { MarketView } from "@/lib/contracts/markets";
import { MarketPriceCard } from "./market-price-card";
import { LiquidationMapPanel } from "./liquidation-map-panel";

/** Per market: the liquidation map of the selected one, and every market's mark with its sources. */
export const MarketsSection = memo(function MarketsSection({ markets, stale, staleAfterMs }: {
  markets: MarketView[];
  /** The stream is down. */
  stale: boolean;
  staleAfterMs: number;
}) {
  const [selectedId, setSelectedId] = useState<string | null>(markets[0]?.id ?? null);
  const selected = markets.find((m) => m.id === selectedId);
  const idsKey = markets.map((m) => m.id).join(",");
  const marketIds = useMemo(() => (idsKey ? idsKey.split(",") : []), [idsKey]);
  return (
    <>
      <LiquidationMapPanel marketIds={marketIds} selectedId={selectedId} tickSize={selected?.tickSize ?? 0.01} stale={(selected?.stale ?? false) || stale}
        onSelect={setSelectedId} staleAfterMs={staleAfterMs} />
      <section className="span-12" aria-labelledby="marks-title">
        <h2 className="section-title" id="marks-title">Mark prices <span className="panel-subtitle">median of fresh sources; liquidations on a stale market are paused</span></h2>
        {markets.length === 0 ? <p className="empty">No markets are configured.</p> : (
          <div className="card-grid">
            {markets.map((m, i) => (
              <MarketPriceCard key={m.id} market={m} streamStale={stale} staleAfterMs={staleAfterMs} selected={m.id === selectedId} onSelect={setSelectedId}
                slot={i} slots={markets.length} />
            ))}
          </div>
        )}
      </section>
    </>
  );
});
