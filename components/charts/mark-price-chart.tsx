"use client";
import { memo } from "react";
import { Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatPrice } from "@/lib/format/price";
import { formatClock } from "@/lib/format/time";
import { AXIS, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { plainTick, timeTicks } from "./plain-tick";

/** A market's recent marks as a line; the y axis at the market's tick decimals, times in UTC. */
export const MarkPriceChart = memo(function MarkPriceChart({ history, tickSize, stale }: {
  history: { ts: number; mark: number }[];
  tickSize: number;
  stale: boolean;
}) {
  const from = history[0]?.ts ?? 0;
  const to = history[history.length - 1]?.ts ?? 0;
  return (
    <LineChart responsive data={history} style={{ width: "100%", height: 150 }} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
      <XAxis dataKey="ts" type="number" domain={[from, to]} scale="time" stroke={AXIS} ticks={timeTicks(from, to, 3)} interval={0}
        tick={plainTick(formatClock)} />
      <YAxis domain={["auto", "auto"]} width={72} stroke={AXIS} tickCount={5} interval={0}
        tick={plainTick((p) => formatPrice(p, tickSize))} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE}
        labelFormatter={(ts) => `${formatClock(Number(ts))} UTC`}
        formatter={(p) => [`${formatPrice(Number(p), tickSize)} USD`, "mark"]} />
      <Line type="linear" dataKey="mark" stroke={stale ? "#6b7685" : "#4cc2ff"} strokeWidth={1.5}
        dot={false} isAnimationActive={false} />
    </LineChart>
  );
});
