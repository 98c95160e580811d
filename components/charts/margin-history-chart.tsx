"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis } from "recharts";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";
import { ACCENT, AXIS, GRID, LINE_WIDTH, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { formatTimeUtc, PANEL_TIME_AXIS_PX, timeAxis } from "./axis-format";
import { ratioTicks, timeTicks } from "./axis-ticks";
import { axisTick, xUnitLabel } from "./recharts-axis";
import { ratioAxis } from "./ratio-axis";

export interface MarginPoint {
  ts: number;
  /** Margin ratio in percent; null when equity ≤ 0. */
  ratio: number | null;
  equity: number;
  maintenanceMargin: number;
}

/** One account's margin ratio over time (MM / equity, 100% = liquidation), with equity and MM in the tooltip. */
export const MarginHistoryChart = memo(function MarginHistoryChart({ points, height }: { points: MarginPoint[]; height: number }) {
  const from = points[0]?.ts ?? 0;
  const to = points[points.length - 1]?.ts ?? 0;
  const xTicks = timeTicks(from, to, PANEL_TIME_AXIS_PX);
  const time = timeAxis(xTicks);
  return (
    <LineChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} ticks={xTicks} interval={0}
        tick={axisTick(time, [from, to])} label={xUnitLabel(time)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => formatTimeUtc(Number(ts))}
        formatter={(v, _name, item) => {
          const p = item.payload as MarginPoint;
          const ratio = v === null || v === undefined ? "∞ (equity ≤ 0)" : formatMarginRatio(Number(v) / 100);
          return [`${ratio} · equity ${formatUsd(p.equity)} · MM ${formatUsd(p.maintenanceMargin)} USD`, "margin ratio"];
        }} />
      {ratioAxis(ratioTicks(points.map((p) => p.ratio)))}
      <Line dataKey="ratio" type="linear" stroke={ACCENT} strokeWidth={LINE_WIDTH} dot={false} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
});
