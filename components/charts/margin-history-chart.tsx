"use client";
import { memo } from "react";
import { CartesianGrid, Line, LineChart, Tooltip, XAxis } from "recharts";
import { formatClock } from "@/lib/format/time";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";
import { ACCENT, AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { plainTick, timeTicks } from "./plain-tick";
import { highestRatio, ratioAxisMax } from "./chart-geometry";
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
  const top = ratioAxisMax(highestRatio(points));
  return (
    <LineChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} ticks={timeTicks(from, to, 5)} interval={0}
        tick={plainTick(formatClock)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(v, _name, item) => {
          const p = item.payload as MarginPoint;
          const ratio = v === null || v === undefined ? "∞ (equity ≤ 0)" : formatMarginRatio(Number(v) / 100);
          return [`${ratio} · equity ${formatUsd(p.equity)} · MM ${formatUsd(p.maintenanceMargin)} USD`, "margin ratio"];
        }} />
      {ratioAxis(top)}
      <Line dataKey="ratio" type="linear" stroke={ACCENT} strokeWidth={1.5} dot={false} isAnimationActive={false} connectNulls={false} />
    </LineChart>
  );
});
