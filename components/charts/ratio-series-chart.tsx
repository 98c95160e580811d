"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis } from "recharts";
import { formatClock } from "@/lib/format/time";
import { formatMarginRatio } from "@/lib/format/percent";
import { AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { plainTick, timeTicks } from "./plain-tick";
import { highestRatio, ratioAxisMax } from "./chart-geometry";
import { ratioAxis } from "./ratio-axis";

export interface RatioSeries {
  id: string;
  color: string;
  /** `ratio` as a percentage (MM / equity · 100); null where equity ≤ 0 (a gap). */
  points: { ts: number; ratio: number | null }[];
}

/**
 * Margin ratio over time of several accounts (MM / equity, 100% = liquidation, higher is worse),
 * with the warning and liquidation lines. Equity ≤ 0 leaves a gap, not a made-up value.
 */
export const RatioSeriesChart = memo(function RatioSeriesChart({ series, height, from, to }: { series: RatioSeries[]; height: number; from: number; to: number }) {
  const top = ratioAxisMax(Math.max(0, ...series.map((s) => highestRatio(s.points))));
  return (
    <LineChart responsive style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} allowDuplicatedCategory={false}
        ticks={timeTicks(from, to, 4)} interval={0} tick={plainTick(formatClock)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(v, name) => [v === null || v === undefined ? "∞ (equity ≤ 0)" : formatMarginRatio(Number(v) / 100), name]} />
      {ratioAxis(top)}
      {series.map((s) => (
        <Line key={s.id} data={s.points} dataKey="ratio" name={s.id} type="linear" dot={false} isAnimationActive={false}
          stroke={s.color} strokeWidth={1.5} connectNulls={false} />
      ))}
    </LineChart>
  );
});
