"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis } from "recharts";
import { formatMarginRatio } from "@/lib/format/percent";
import { AXIS, GRID, LINE_WIDTH, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { formatTimeUtc, PANEL_TIME_AXIS_PX, timeAxis } from "./axis-format";
import { ratioTicks, timeTicks } from "./axis-ticks";
import { axisTick, xUnitLabel } from "./recharts-axis";
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
  const xTicks = timeTicks(from, to, PANEL_TIME_AXIS_PX);
  const time = timeAxis(xTicks);
  return (
    <LineChart responsive style={{ width: "100%", height }} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} allowDuplicatedCategory={false}
        ticks={xTicks} interval={0} tick={axisTick(time, [from, to])} label={xUnitLabel(time)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => formatTimeUtc(Number(ts))}
        formatter={(v, name) => [v === null || v === undefined ? "∞ (equity ≤ 0)" : formatMarginRatio(Number(v) / 100), name]} />
      {ratioAxis(ratioTicks(series.flatMap((s) => s.points.map((p) => p.ratio))))}
      {series.map((s) => (
        <Line key={s.id} data={s.points} dataKey="ratio" name={s.id} type="linear" dot={false} isAnimationActive={false}
          stroke={s.color} strokeWidth={LINE_WIDTH} connectNulls={false} />
      ))}
    </LineChart>
  );
});
