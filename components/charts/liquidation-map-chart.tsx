"use client";
import { memo, useState, type PointerEvent } from "react";
import type { LiquidationMap } from "@/lib/risk";
import { scaleLinear } from "d3-scale";
import { formatPrice } from "@/lib/format/price";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatCount } from "@/lib/format/quantity";
import { GRID, HOVER_FILL, LONG_COLOR, SHORT_COLOR, TEXT } from "./chart-theme";
import { moveAxis, priceAxis, usdAxis, type AxisFormat } from "./axis-format";
import { moveTicks, valueTicks } from "./axis-ticks";
import { ChartLegend } from "./chart-legend";
import { barsPath, type BarBox } from "./chart-geometry";
import { PlotAxes } from "./plot-axes";

/** The top margin holds the y axis's unit; the bottom one, two lines of x labels. */
const M = { top: 18, right: 16, bottom: 34, left: 56 };
const MARK_LINE = TEXT;

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
  const sx = scaleLinear().domain(domain).range([plot.left, plot.right]);
  const y = valueTicks(buckets.map((b) => b.longNotional + b.shortNotional), { zero: true });
  const sy = scaleLinear().domain(y.domain).range([plot.bottom, plot.top]);
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
  // Ticks on round moves from the mark (every 5% when there is room), each labelled with its price and its move.
  const move = moveAxis("vs mark", "mark");
  const xFormat: AxisFormat = { ...priceAxis(tickSize), second: { unit: move.unit, label: (p) => move.label(p / markPrice - 1) } };
  const xTicks = moveTicks(domain[0] / markPrice - 1, domain[1] / markPrice - 1, plot.right - plot.left,
    (m) => [xFormat.label(markPrice * (1 + m)), move.label(m)]).map((m) => markPrice * (1 + m));
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
            fill={HOVER_FILL} /> : null}
          <path d={barsPath(longs)} fill={LONG_COLOR} data-testid="map-longs" />
          <path d={barsPath(shorts)} fill={SHORT_COLOR} data-testid="map-shorts" />
          <path d={`M${sx(markPrice).toFixed(1)},${plot.top}V${plot.bottom}`} stroke={MARK_LINE} strokeDasharray="4 3" />
          <PlotAxes plot={plot} y={{ ticks: y.ticks, scale: sy, format: usdAxis(y.ticks) }} x={{ ticks: xTicks, scale: sx, format: xFormat }} />
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
