"use client";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatClock } from "@/lib/format/time";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { ACCENT, AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";

/** A USD balance over time (the insurance fund), as a stepped area. */
export function BalanceChart({ points, height, name }: { points: { ts: number; balance: number }[]; height: number; name: string }) {
  return (
    <AreaChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={["dataMin", "dataMax"]} stroke={AXIS} fontSize={10}
        tickFormatter={(ts: number) => formatClock(ts)} minTickGap={50} />
      <YAxis stroke={AXIS} fontSize={10} width={56} domain={["auto", "auto"]} tickFormatter={(n: number) => formatUsdCompact(n)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(v) => [`${formatUsd(Number(v))} USD`, name]} />
      <Area type="stepAfter" dataKey="balance" name={name} stroke={ACCENT} fill={ACCENT} fillOpacity={0.12}
        strokeWidth={1.5} isAnimationActive={false} />
    </AreaChart>
  );
}
