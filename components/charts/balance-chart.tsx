"use client";
import { memo } from "react";
import { Area, AreaChart, CartesianGrid, Tooltip, XAxis, YAxis } from "recharts";
import { formatUsd } from "@/lib/format/usd";
import { ACCENT, AXIS, GRID, LINE_WIDTH, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { formatTimeUtc, PANEL_TIME_AXIS_PX, timeAxis, usdAxis } from "./axis-format";
import { timeTicks, valueTicks } from "./axis-ticks";
import { axisTick, xUnitLabel, yUnitLabel } from "./recharts-axis";

/** A USD balance over time (the insurance fund), as a stepped area. */
export const BalanceChart = memo(function BalanceChart({ points, height, name }: { points: { ts: number; balance: number }[]; height: number; name: string }) {
  const from = points[0]?.ts ?? 0;
  const to = points[points.length - 1]?.ts ?? 0;
  const xTicks = timeTicks(from, to, PANEL_TIME_AXIS_PX);
  const time = timeAxis(xTicks);
  const y = valueTicks(points.map((p) => p.balance));
  const usd = usdAxis(y.ticks);
  return (
    <AreaChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 16, right: 12, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} />
      <XAxis dataKey="ts" type="number" scale="time" domain={[from, to]} stroke={AXIS} ticks={xTicks} interval={0}
        tick={axisTick(time, [from, to])} label={xUnitLabel(time)} />
      <YAxis stroke={AXIS} width={56} domain={y.domain} ticks={y.ticks} interval={0} tick={axisTick(usd)} label={yUnitLabel(usd)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => formatTimeUtc(Number(ts))}
        formatter={(v) => [`${formatUsd(Number(v))} USD`, name]} />
      <Area type="stepAfter" dataKey="balance" name={name} stroke={ACCENT} fill={ACCENT} fillOpacity={0.12}
        strokeWidth={LINE_WIDTH} isAnimationActive={false} />
    </AreaChart>
  );
});
