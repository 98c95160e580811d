"use client";
import { memo } from "react";
import type { MarketView } from "@/lib/contracts/markets";
import { formatPrice } from "@/lib/format/price";
import { formatAge } from "@/lib/format/age";
import { useNow } from "@/lib/client/use-now";
import { useStaggered } from "@/lib/client/use-staggered";
import { Age } from "@/components/ui/age";
import { MarkPriceChart } from "@/components/charts/mark-price-chart";

/** Mark charts redraw once a second, in turn. */
const CHART_PERIOD_MS = 1000;

/** One market: its mark (median of fresh sources), the age of that mark, its sources and chart. */
export const MarketPriceCard = memo(function MarketPriceCard({ market, staleAfterMs, selected, onSelect, slot = 0, slots = 1 }: {
  market: MarketView;
  staleAfterMs: number;
  selected?: boolean;
  onSelect?: (id: string) => void;
  /** This card's place among `slots` cards: their charts redraw in turn (see useStaggered). */
  slot?: number;
  slots?: number;
}) {
  const freshSources = market.sources.filter((s) => s.fresh).length;
  const history = useStaggered(market.history, slot, slots, CHART_PERIOD_MS);
  return (
    <section className={`card${market.stale ? " card-stale" : ""}${selected ? " card-selected" : ""}`}
      data-testid={`market-${market.id}`} aria-label={market.id}>
      <header className="card-head">
        <h2>
          {onSelect ? (
            <button type="button" className="link-button card-title" onClick={() => onSelect(market.id)} aria-pressed={selected}
              title="show this market's liquidation map">{market.id}</button>
          ) : market.id}
          {market.stale ? <span className="stale-tag" title="no fresh source: liquidations touching this market are paused">STALE</span> : null}
        </h2>
        <span className="mark" data-testid="mark">
          {formatPrice(market.mark, market.tickSize)} <span className="unit">USD</span>
        </span>
      </header>
      <div className="card-meta">
        <span>mark = median of {freshSources}/{market.sources.length} fresh sources</span>
        <Age ts={market.markTs} stale={market.stale} staleAfterMs={staleAfterMs} />
      </div>
      <SourceList market={market} staleAfterMs={staleAfterMs} />
      {history.length > 1 ? (
        <MarkPriceChart history={history} tickSize={market.tickSize} stale={market.stale} />
      ) : (
        <div className="chart-empty">waiting for prices…</div>
      )}
    </section>
  );
});

/** The market's price sources: each one's latest price and age; a stale one does not count in the median. */
function SourceList({ market, staleAfterMs }: { market: MarketView; staleAfterMs: number }) {
  const now = useNow();
  return (
    <ul className="sources" aria-label={`${market.id} price sources`}>
      {market.sources.map((s) => (
        <li key={s.source} className={s.fresh ? undefined : "source-stale"}
          title={s.fresh ? "fresh: counts in the median" : `older than ${formatAge(staleAfterMs)}: ignored`}>
          <span className="ellipsis">{s.source}</span>
          <span className="num">{formatPrice(s.price, market.tickSize)}</span>
          <span className="num src-age" suppressHydrationWarning>{s.fresh ? "" : "stale · "}{formatAge(now - s.ts)}</span>
        </li>
      ))}
    </ul>
  );
}
