"use client";
import { memo } from "react";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatClock } from "@/lib/format/time";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { ACCENT, AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { plainTick, timeTicks } from "./plain-tick";

/** A USD balance over time (the insurance fund), as a stepped area. */
export const BalanceChart = memo(function BalanceChart({ points, height, name }: { points: { ts: number; balance: number }[]; height: number; name: string }) {
  const from = points[0]?.ts ?? 0;
  const to = points[points.length - 1]?.ts ?? 0;
  return (
    <AreaChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} ticks={timeTicks(from, to, 4)} interval={0}
        tick={plainTick(formatClock)} />
      <YAxis stroke={AXIS} width={56} domain={["auto", "auto"]} tickCount={5} interval={0} tick={plainTick(formatUsdCompact)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(v) => [`${formatUsd(Number(v))} USD`, name]} />
      <Area type="stepAfter" dataKey="balance" name={name} stroke={ACCENT} fill={ACCENT} fillOpacity={0.12}
        strokeWidth={1.5} isAnimationActive={false} />
    </AreaChart>
  );
});
