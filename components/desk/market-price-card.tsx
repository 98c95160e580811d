"use client";
import type { MarketView } from "@/lib/contracts/markets";
import { formatPrice } from "@/lib/format/price";
import { Age } from "@/components/ui/age";
import { MarkPriceChart } from "@/components/charts/mark-price-chart";

/** One market: its mark (median of fresh sources), the age of that mark, its sources and chart. */
export function MarketPriceCard({ market, staleAfterMs }: { market: MarketView; staleAfterMs: number }) {
  const freshSources = market.sources.filter((s) => s.fresh).length;
  return (
    <section className={market.stale ? "card card-stale" : "card"} data-testid={`market-${market.id}`} aria-label={market.id}>
      <header className="card-head">
        <h2>{market.id}</h2>
        <span className="mark" data-testid="mark">
          {formatPrice(market.mark, market.tickSize)} <span className="unit">USD</span>
        </span>
      </header>
      <div className="card-meta">
        <span>mark = median of {freshSources}/{market.sources.length} fresh sources</span>
        <Age ts={market.markTs} stale={market.stale} staleAfterMs={staleAfterMs} />
      </div>
      {market.history.length > 1 ? (
        <MarkPriceChart history={market.history} tickSize={market.tickSize} stale={market.stale} />
      ) : (
        <div className="chart-empty">waiting for prices…</div>
      )}
    </section>
  );
}
