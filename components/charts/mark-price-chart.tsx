"use client";
import { memo } from "react";
import { Line, LineChart, Tooltip, XAxis, YAxis } from "recharts";
import { formatPrice } from "@/lib/format/price";

const timeFormat = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false, timeZone: "UTC" });

/** A market's recent marks as a line; the y axis at the market's tick decimals, times in UTC. */
export const MarkPriceChart = memo(function MarkPriceChart({ history, tickSize, stale }: {
  history: { ts: number; mark: number }[];
  tickSize: number;
  stale: boolean;
}) {
  return (
    <LineChart responsive data={history} style={{ width: "100%", height: 150 }} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
      <XAxis dataKey="ts" type="number" domain={["dataMin", "dataMax"]} scale="time"
        tickFormatter={(ts: number) => timeFormat.format(ts)} stroke="#6b7685" fontSize={11} minTickGap={40} />
      <YAxis domain={["auto", "auto"]} width={72} stroke="#6b7685" fontSize={11}
        tickFormatter={(p: number) => formatPrice(p, tickSize)} />
      <Tooltip contentStyle={{ background: "#111821", border: "1px solid #2a3441" }}
        labelFormatter={(ts) => `${timeFormat.format(Number(ts))} UTC`}
        formatter={(p) => [`${formatPrice(Number(p), tickSize)} USD`, "mark"]} />
      <Line type="linear" dataKey="mark" stroke={stale ? "#6b7685" : "#4cc2ff"} strokeWidth={1.5}
        dot={false} isAnimationActive={false} />
    </LineChart>
  );
});
