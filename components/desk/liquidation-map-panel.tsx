"use client";
import { memo } from "react";
import { useLiquidationMap } from "@/lib/client/use-liquidation-map";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatPrice } from "@/lib/format/price";
import { Panel } from "@/components/ui/panel";
import { Age } from "@/components/ui/age";
import { QueryState, errorMessage } from "@/components/ui/query-state";
import { LiquidationMapChart } from "@/components/charts/liquidation-map-chart";

const HEIGHT = 300;

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
  const { data, error, isPending, dataUpdatedAt, isPlaceholderData } = useLiquidationMap(selectedId);
  const map = data && data.marketId === selectedId ? data : null;
  return (
    <Panel title="Liquidation map" testId="liquidation-map-panel" className="span-12"
      subtitle="position notional by the mark price at which it would be liquidated, other marks unchanged (±30% of the mark, 0.5% buckets) · measured on every position"
      right={
        <>
          <div className="tabs" role="tablist" aria-label="Market">
            {marketIds.map((id) => (
              <button key={id} type="button" role="tab" aria-selected={id === selectedId} className={id === selectedId ? "tab tab-on" : "tab"}
                onClick={() => onSelect(id)} data-testid={`map-market-${id}`}>{id.replace(/-PERP$/, "")}</button>
            ))}
          </div>
          <Age ts={map ? dataUpdatedAt : null} stale={Boolean(market?.stale) || Boolean(error) || isPlaceholderData} staleAfterMs={Math.max(staleAfterMs, 15_000)} />
        </>
      }>
      {!market ? <QueryState kind="empty" height={HEIGHT + 22}>No markets are configured.</QueryState>
        : error && !map ? <QueryState kind="error" height={HEIGHT + 22}>Could not load the map of {market.id}: {errorMessage(error)}</QueryState>
        : isPending || !map ? <QueryState kind="loading" height={HEIGHT + 22}>Loading the liquidation map of {market.id}…</QueryState>
        : (
          <>
            <LiquidationMapChart map={map} tickSize={market.tickSize} height={HEIGHT} />
            <div className="panel-note map-note">
              <span>{market.stale ? <b className="tone-warn">STALE mark · </b> : null}mark {formatPrice(map.markPrice, market.tickSize)} USD</span>
              <span>below −30%: longs {formatUsdCompact(map.belowRange.longNotional)} · shorts {formatUsdCompact(map.belowRange.shortNotional)} USD</span>
              <span>above +30%: longs {formatUsdCompact(map.aboveRange.longNotional)} · shorts {formatUsdCompact(map.aboveRange.shortNotional)} USD</span>
              <span>no liquidation price: longs {formatUsdCompact(map.withoutPrice.longNotional)} · shorts {formatUsdCompact(map.withoutPrice.shortNotional)} USD</span>
            </div>
          </>
        )}
    </Panel>
  );
});
