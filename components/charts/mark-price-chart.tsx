"use client";
import { memo, useState, type PointerEvent } from "react";
import { scaleLinear } from "d3-scale";
import { formatPrice } from "@/lib/format/price";
import { ACCENT, HOVER_LINE, LINE_WIDTH, STALE_LINE } from "./chart-theme";
import { formatTimeUtc, priceAxis, timeAxis } from "./axis-format";
import { timeTicks, valueTicks } from "./axis-ticks";
import { linePath, nearestIndex } from "./chart-geometry";
import { PlotAxes } from "./plot-axes";

export const MARK_CHART_HEIGHT = 150;
/** The top margin holds the y axis's unit. */
const M = { top: 18, right: 8, bottom: 20, left: 72 };

/**
 * A market's recent marks as a line, drawn as plain SVG (a path and a few labels, nothing measured):
 * the y axis on round prices at the market's tick decimals, times in UTC; hovering reads a point.
 */
export const MarkPriceChart = memo(function MarkPriceChart({ history, tickSize, stale, width }: {
  history: readonly { ts: number; mark: number }[];
  tickSize: number;
  stale: boolean;
  /** Of the chart, px (measured by the caller). */
  width: number;
}) {
  const [hover, setHover] = useState<number | null>(null);
  const points = history.map((h) => ({ x: h.ts, y: h.mark }));
  const from = points[0]?.x ?? 0;
  const to = points[points.length - 1]?.x ?? 0;
  const y = valueTicks(points.map((p) => p.y), { unit: tickSize });
  const plot = { left: M.left, right: width - M.right, top: M.top, bottom: MARK_CHART_HEIGHT - M.bottom };
  const sx = scaleLinear().domain([from, to]).range([plot.left, plot.right]);
  const sy = scaleLinear().domain(y.domain).range([plot.bottom, plot.top]);
  const xTicks = timeTicks(from, to, plot.right - plot.left);
  const at = hover === null ? null : (points[hover] ?? null);

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - box.left;
    setHover(px < plot.left || px > plot.right ? null : nearestIndex(points, sx.invert(px)));
  };

  return (
    <div className="mark-chart">
      <svg width={width} height={MARK_CHART_HEIGHT} role="img" aria-label={`mark price, last ${Math.round((to - from) / 1000)} s`}
        onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)}>
        <PlotAxes plot={plot} y={{ ticks: y.ticks, scale: sy, format: priceAxis(tickSize) }}
          x={{ ticks: xTicks, scale: sx, format: timeAxis(xTicks) }} />
        <path d={linePath(points, sx, sy)} fill="none" stroke={stale ? STALE_LINE : ACCENT} strokeWidth={LINE_WIDTH} strokeLinejoin="round"
          data-testid="mark-line" />
        {at ? (
          <g pointerEvents="none">
            <path d={`M${sx(at.x).toFixed(1)},${plot.top}V${plot.bottom}`} stroke={HOVER_LINE} />
            <circle cx={sx(at.x)} cy={sy(at.y)} r={3} fill={stale ? STALE_LINE : ACCENT} />
          </g>
        ) : null}
      </svg>
      {at ? <div className="chart-readout num">{formatTimeUtc(at.x)} · {formatPrice(at.y, tickSize)} USD</div> : null}
    </div>
  );
});

