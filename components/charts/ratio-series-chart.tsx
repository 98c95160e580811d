"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import { formatClock } from "@/lib/format/time";
import { formatMarginRatio } from "@/lib/format/percent";
import { AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { plainTick, timeTicks } from "./plain-tick";

export interface RatioSeries {
  id: string;
  color: string;
  /** `ratio` as a percentage (MM / equity · 100); null where equity ≤ 0 (a gap). */
  points: { ts: number; ratio: number | null }[];
}

/**
 * Y axis top: at least 120% (the liquidation line in view), else the highest point rounded up, but
 * no higher than 300%: an account near bankruptcy (ratio in the thousands) would flatten every other
 * line; above 300% the line leaves the chart (the tooltip still has the value).
 */
export function ratioAxisMax(max: number): number {
  return Math.min(300, Math.max(120, Math.ceil(max / 20) * 20));
}

/**
 * Margin ratio over time of several accounts (MM / equity, 100% = liquidation, higher is worse),
 * with the warning and liquidation lines. Equity ≤ 0 leaves a gap, not a made-up value.
 */
export const RatioSeriesChart = memo(function RatioSeriesChart({ series, height, from, to }: { series: RatioSeries[]; height: number; from: number; to: number }) {
  return (
    <LineChart responsive style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} allowDuplicatedCategory={false}
        ticks={timeTicks(from, to, 4)} interval={0} tick={plainTick(formatClock)} />
      <YAxis stroke={AXIS} width={48} domain={[0, ratioAxisMax]} allowDataOverflow tickCount={6} interval={0} tick={plainTick((p) => `${p}%`)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(v, name) => [v === null || v === undefined ? "∞ (equity ≤ 0)" : formatMarginRatio(Number(v) / 100), name]} />
      <ReferenceLine y={80} stroke="#d29922" strokeDasharray="3 3" label={{ value: "80% warning", fill: "#d29922", fontSize: 10, position: "insideBottomLeft" }} />
      <ReferenceLine y={100} stroke="#f85149" strokeDasharray="3 3" label={{ value: "100% liquidation", fill: "#f85149", fontSize: 10, position: "insideTopLeft" }} />
      {series.map((s) => (
        <Line key={s.id} data={s.points} dataKey="ratio" name={s.id} type="linear" dot={false} isAnimationActive={false}
          stroke={s.color} strokeWidth={1.5} connectNulls={false} />
      ))}
    </LineChart>
  );
});
