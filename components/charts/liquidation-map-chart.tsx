"use client";
import { memo, useState, type PointerEvent } from "react";
import type { LiquidationMap } from "@/lib/risk";
import { formatPrice } from "@/lib/format/price";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatCount } from "@/lib/format/quantity";
import { AXIS, GRID, LONG_COLOR, SHORT_COLOR } from "./chart-theme";
import { ChartLegend } from "./chart-legend";
import { barsPath, labelAnchor, linearScale, niceTicks, type BarBox } from "./chart-geometry";
import { PlotAxes } from "./plot-axes";

const M = { top: 6, right: 16, bottom: 34, left: 56 };
const MARK_LINE = "#d7dde5";
/** Half the width of a price label at 10 px: closer than this to an edge, it is aligned to that edge. */
const HALF_LABEL = 24;

/**
 * Spec §9: notional that would be liquidated at each price level, longs (red, below the mark) and
 * shorts (green, above), in buckets of 0.5% of the mark over ±30%; the mark as a dashed line. Drawn
 * as plain SVG: all the bars of one side are one path, so a redraw costs a few elements, not one
 * component per bar. Hovering reads a bucket.
 */
export const LiquidationMapChart = memo(function LiquidationMapChart({ map, tickSize, width, height }: {
  map: LiquidationMap;
  tickSize: number;
  /** Of the chart, px (measured by the caller). */
  width: number;
  height: number;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const { buckets, markPrice } = map;
  const first = buckets[0];
  const last = buckets[buckets.length - 1];
  const domain: [number, number] = first && last ? [first.priceFrom, last.priceTo] : [markPrice * 0.7, markPrice * 1.3];
  const plot = { left: M.left, right: width - M.right, top: M.top, bottom: height - M.bottom };
  const sx = linearScale(domain, [plot.left, plot.right]);
  const y = niceTicks(0, Math.max(1, ...buckets.map((b) => b.longNotional + b.shortNotional)), 5);
  const sy = linearScale(y.domain, [plot.bottom, plot.top]);
  // A pixel between neighbouring bars while they are wide enough to show it.
  const gap = (plot.right - plot.left) / Math.max(1, buckets.length) > 3 ? 0.5 : 0;
  const longs: BarBox[] = [];
  const shorts: BarBox[] = [];
  for (const b of buckets) {
    const x0 = sx(b.priceFrom) + gap;
    const x1 = sx(b.priceTo) - gap;
    longs.push({ x0, x1, y0: sy(0), y1: sy(b.longNotional) });
    shorts.push({ x0, x1, y0: sy(b.longNotional), y1: sy(b.longNotional + b.shortNotional) });
  }
  // Ticks every 5% of the mark.
  const xTicks = Array.from({ length: 13 }, (_, i) => markPrice * (1 + (i - 6) * 0.05)).filter((p) => p >= domain[0] && p <= domain[1]);
  const move = (p: number) => {
    const m = Math.round((p / markPrice - 1) * 100);
    return m === 0 ? "mark" : `${m > 0 ? "+" : "−"}${Math.abs(m)}%`;
  };
  const at = hover === null ? null : (buckets[hover] ?? null);

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const px = e.clientX - e.currentTarget.getBoundingClientRect().left;
    const i = Math.floor(((px - plot.left) / Math.max(1, plot.right - plot.left)) * buckets.length);
    setHover(i >= 0 && i < buckets.length ? i : null);
  };

  return (
    <>
      <ChartLegend items={[
        { label: "longs liquidated (price falls to the level)", color: LONG_COLOR },
        { label: "shorts liquidated (price rises to the level)", color: SHORT_COLOR },
        { label: `mark ${formatPrice(markPrice, tickSize)} USD`, color: MARK_LINE, kind: "line" },
      ]} />
      <div className="mark-chart">
        <svg width={width} height={height} role="img" data-testid="liquidation-map-chart"
          aria-label={`notional liquidated by mark price, ${formatPrice(domain[0], tickSize)} to ${formatPrice(domain[1], tickSize)} USD`}
          onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)}>
          <g stroke={GRID}>
            {y.ticks.map((t) => <path key={t} d={`M${plot.left},${sy(t).toFixed(1)}H${plot.right}`} />)}
          </g>
          {at ? <rect x={sx(at.priceFrom)} y={plot.top} width={Math.max(1, sx(at.priceTo) - sx(at.priceFrom))} height={plot.bottom - plot.top}
            fill="rgba(255,255,255,0.05)" /> : null}
          <path d={barsPath(longs)} fill={LONG_COLOR} data-testid="map-longs" />
          <path d={barsPath(shorts)} fill={SHORT_COLOR} data-testid="map-shorts" />
          <path d={`M${sx(markPrice).toFixed(1)},${plot.top}V${plot.bottom}`} stroke={MARK_LINE} strokeDasharray="4 3" />
          <PlotAxes plot={plot} yTicks={y.ticks} sy={sy} xTicks={xTicks} sx={sx} />
          <g fill={AXIS} fontSize={10} className="tick">
            {y.ticks.map((t) => <text key={t} x={plot.left - 9} y={sy(t)} dy="0.32em" textAnchor="end">{formatUsdCompact(t)}</text>)}
            {xTicks.map((t) => (
              <text key={t} x={sx(t)} y={plot.bottom + 8} textAnchor={labelAnchor(sx(t), width, HALF_LABEL)}>
                <tspan x={sx(t)} dy="0.71em">{formatPrice(t, tickSize)}</tspan>
                <tspan x={sx(t)} dy="1.2em" fill="#5d6877">{move(t)}</tspan>
              </text>
            ))}
          </g>
        </svg>
        {at ? (
          <div className="chart-readout num">
            mark {formatPrice(at.priceFrom, tickSize)} – {formatPrice(at.priceTo, tickSize)} USD ·
            longs {formatUsdCompact(at.longNotional)} USD ({formatCount(at.longCount)}) ·
            shorts {formatUsdCompact(at.shortNotional)} USD ({formatCount(at.shortCount)})
          </div>
        ) : null}
      </div>
    </>
  );
});
