"use client";
import { memo, useState, type PointerEvent } from "react";
import { formatPrice } from "@/lib/format/price";
import { formatClock } from "@/lib/format/time";
import { ACCENT, AXIS } from "./chart-theme";
import { extent, labelAnchor, linePath, linearScale, nearestIndex, niceTicks } from "./chart-geometry";
import { timeTicks } from "./plain-tick";
import { PlotAxes } from "./plot-axes";

export const MARK_CHART_HEIGHT = 150;
/** Half the width of a time label ("12:34:56" at 10 px): closer than this to an edge, it is aligned to that edge. */
const HALF_LABEL = 22;
const M = { top: 6, right: 8, bottom: 20, left: 72 };
const STALE_LINE = "#6b7685";

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
  const [lo, hi] = extent(points.map((p) => p.y));
  const y = niceTicks(lo, hi, 5);
  const plot = { left: M.left, right: width - M.right, top: M.top, bottom: MARK_CHART_HEIGHT - M.bottom };
  const sx = linearScale([from, to], [plot.left, plot.right]);
  const sy = linearScale(y.domain, [plot.bottom, plot.top]);
  const xTicks = timeTicks(from, to, 3);
  const at = hover === null ? null : (points[hover] ?? null);

  const onPointerMove = (e: PointerEvent<SVGSVGElement>) => {
    const box = e.currentTarget.getBoundingClientRect();
    const px = e.clientX - box.left;
    setHover(px < plot.left || px > plot.right ? null : nearestIndex(points, from + ((px - plot.left) / Math.max(1, plot.right - plot.left)) * (to - from)));
  };

  return (
    <div className="mark-chart">
      <svg width={width} height={MARK_CHART_HEIGHT} role="img" aria-label={`mark price, last ${Math.round((to - from) / 1000)} s`}
        onPointerMove={onPointerMove} onPointerLeave={() => setHover(null)}>
        <PlotAxes plot={plot} yTicks={y.ticks} sy={sy} xTicks={xTicks} sx={sx} />
        <g fill={AXIS} fontSize={10} className="tick">
          {y.ticks.map((t) => <text key={t} x={plot.left - 9} y={sy(t)} dy="0.32em" textAnchor="end">{formatPrice(t, tickSize)}</text>)}
          {xTicks.map((t) => <text key={t} x={sx(t)} y={plot.bottom + 8} dy="0.71em" textAnchor={labelAnchor(sx(t), width, HALF_LABEL)}>{formatClock(t)}</text>)}
        </g>
        <path d={linePath(points, sx, sy)} fill="none" stroke={stale ? STALE_LINE : ACCENT} strokeWidth={1.5} strokeLinejoin="round"
          data-testid="mark-line" />
        {at ? (
          <g pointerEvents="none">
            <path d={`M${sx(at.x).toFixed(1)},${plot.top}V${plot.bottom}`} stroke="#3a4654" />
            <circle cx={sx(at.x)} cy={sy(at.y)} r={3} fill={stale ? STALE_LINE : ACCENT} />
          </g>
        ) : null}
      </svg>
      {at ? <div className="chart-readout num">{formatClock(at.x)} UTC · {formatPrice(at.y, tickSize)} USD</div> : null}
    </div>
  );
});

