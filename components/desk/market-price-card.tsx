"use client";
import { memo } from "react";
import type { MarketView } from "@/lib/contracts/markets";
import { formatPrice } from "@/lib/format/price";
import { formatAge } from "@/lib/format/age";
import { useNow, useOlderThan } from "@/lib/client/use-now";
import { useLiveValue } from "@/lib/client/use-live-value";
import { markChartBeat } from "@/lib/client/redraw-beats";
import { useElementView } from "@/lib/client/use-element-view";
import { Age } from "@/components/ui/age";
import { MARK_CHART_HEIGHT, MarkPriceChart } from "@/components/charts/mark-price-chart";


/**
 * One market: its mark (median of fresh sources), the age of that mark, its sources and chart.
 * Marked stale when the market has no fresh source, the mark is too old or the stream is down.
 */
export const MarketPriceCard = memo(function MarketPriceCard({ market, streamStale, staleAfterMs, selected, onSelect, slot = 0, slots = 1 }: {
  market: MarketView;
  /** The socket is down: nothing on the card is current. */
  streamStale: boolean;
  staleAfterMs: number;
  selected?: boolean;
  onSelect?: (id: string) => void;
  /** This card's place among `slots` cards: their charts redraw once a second, in turn, and only on screen. */
  slot?: number;
  slots?: number;
}) {
  const freshSources = market.sources.filter((s) => s.fresh).length;
  const { ref: viewRef, onScreen, width } = useElementView<HTMLDivElement>();
  const history = useLiveValue(market.history, { beat: markChartBeat(slot, slots), active: onScreen, ready: hasLine });
  const old = useOlderThan(market.markTs, staleAfterMs);
  const stale = market.stale || streamStale || old;
  return (
    <section className={`card${stale ? " card-stale" : ""}${selected ? " card-selected" : ""}`}
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
        <Age ts={market.markTs} stale={market.stale || streamStale} staleAfterMs={staleAfterMs} />
      </div>
      <SourceList market={market} staleAfterMs={staleAfterMs} />
      <div ref={viewRef} style={{ height: MARK_CHART_HEIGHT }}>
        {history.length < 2 ? <div className="chart-empty">waiting for prices…</div>
          : width > 0 ? <MarkPriceChart history={history} tickSize={market.tickSize} stale={stale} width={width} />
          : null}
      </div>
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
          <span className="num src-age" suppressHydrationWarning title={`received ${new Date(s.receivedAt).toISOString()}, dated ${new Date(s.ts).toISOString()}`}>{s.fresh ? "" : "stale · "}{formatAge(now - s.receivedAt)}</span>
        </li>
      ))}
    </ul>
  );
}

/** A history that draws a line: until then the chart takes new points even off screen. */
function hasLine(history: MarketView["history"]): boolean {
  return history.length > 1;
}
