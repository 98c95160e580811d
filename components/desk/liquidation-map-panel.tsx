"use client";
import { memo } from "react";
import { useLiquidationMap } from "@/lib/client/use-liquidation-map";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatPrice } from "@/lib/format/price";
import { Panel } from "@/components/ui/panel";
import { useElementView } from "@/lib/client/use-element-view";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { LiquidationMapChart } from "@/components/charts/liquidation-map-chart";
import { unknownAccountsText } from "./unknown-accounts";

const HEIGHT = 300;
/** The chart with its legend above and its notes below: a placeholder takes as much, so loading does not move the page. */
const BODY_HEIGHT = HEIGHT + 38;

/** Spec §9 for the selected market, with a market selector. */
export const LiquidationMapPanel = memo(function LiquidationMapPanel({ marketIds, selectedId, tickSize, stale, onSelect, staleAfterMs }: {
  marketIds: string[];
  selectedId: string | null;
  /** Of the selected market. */
  tickSize: number;
  stale: boolean;
  onSelect: (id: string) => void;
  staleAfterMs: number;
}) {
  const market = selectedId === null ? null : { id: selectedId, tickSize, stale };
  const { ref: viewRef, onScreen, width } = useElementView<HTMLDivElement>();
  const { data, error, isPending, dataUpdatedAt, isPlaceholderData } = useLiquidationMap(selectedId, onScreen);
  const answer = data && data.marketId === selectedId ? data : null;
  // A market never priced has no map (no mark to measure from): said as a state, not an error.
  const noPrice = answer !== null && answer.markPrice === null;
  const map = answer !== null && answer.markPrice !== null ? answer : null;
  const notEvaluated = unknownAccountsText(map?.unknownAccounts);
  return (
    <Panel title="Liquidation map" testId="liquidation-map-panel" className="span-12"
      subtitle="position notional by the mark price at which it would be liquidated, other marks unchanged (±30% of the mark, 0.5% buckets) · measured on every position"
      right={
        <div className="tabs" role="tablist" aria-label="Market">
          {marketIds.map((id) => (
            <button key={id} type="button" role="tab" aria-selected={id === selectedId} className={id === selectedId ? "tab tab-on" : "tab"}
              onClick={() => onSelect(id)} data-testid={`map-market-${id}`}>{id.replace(/-PERP$/, "")}</button>
          ))}
        </div>
      }
      freshness={{ ts: answer ? dataUpdatedAt : null, stale: Boolean(market?.stale) || Boolean(error) || isPlaceholderData, staleAfterMs: Math.max(staleAfterMs, 15_000) }}>
      <div ref={viewRef}>
      {!market ? <QueryState kind="empty" height={BODY_HEIGHT}>No markets are configured.</QueryState>
        : error && !answer ? <QueryState kind="error" height={BODY_HEIGHT}>Could not load the map of {market.id}: {errorMessage(error)}</QueryState>
        : noPrice ? (
          <QueryState kind="empty" height={BODY_HEIGHT}>
            <span data-testid="map-no-price">No price yet for {market.id}: no liquidation map until its first price (its holders&apos; figures are unknown).</span>
          </QueryState>
        )
        : isPending || !map ? <QueryState kind="loading" height={BODY_HEIGHT}>Loading the liquidation map of {market.id}…</QueryState>
        : (
          <>
            {width > 0 ? <LiquidationMapChart map={map} tickSize={market.tickSize} width={width} height={HEIGHT} /> : <div style={{ height: HEIGHT + 18 }} />}
            <div className="panel-note map-note">
              <span>{market.stale ? <b className="tone-warn">STALE mark · </b> : null}mark {formatPrice(map.markPrice, market.tickSize)} USD</span>
              <span>below −30%: longs {formatUsdCompact(map.belowRange.longNotional)} · shorts {formatUsdCompact(map.belowRange.shortNotional)} USD</span>
              <span>above +30%: longs {formatUsdCompact(map.aboveRange.longNotional)} · shorts {formatUsdCompact(map.aboveRange.shortNotional)} USD</span>
              <span>no liquidation price: longs {formatUsdCompact(map.withoutPrice.longNotional)} · shorts {formatUsdCompact(map.withoutPrice.shortNotional)} USD</span>
              {notEvaluated ? <span className="tone-warn" data-testid="map-unknown-accounts" data-value={map.unknownAccounts.count}>{notEvaluated}</span> : null}
            </div>
          </>
        )}
      </div>
    </Panel>
  );
});
