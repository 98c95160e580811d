"use client";
import { Bar, BarChart, CartesianGrid, Legend, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { LiquidationMap } from "@/lib/risk";
import { formatPrice } from "@/lib/format/price";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatCount } from "@/lib/format/quantity";
import { AXIS, GRID, LONG_COLOR, SHORT_COLOR, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";

interface Level {
  price: number;
  priceFrom: number;
  priceTo: number;
  long: number;
  short: number;
  longCount: number;
  shortCount: number;
}

/**
 * Spec §9: notional that would be liquidated at each price level, longs (red, below the mark) and
 * shorts (green, above), in buckets of 0.5% of the mark over ±30%; the mark as a vertical line.
 */
export function LiquidationMapChart({ map, tickSize, height }: { map: LiquidationMap; tickSize: number; height: number }) {
  const data: Level[] = map.buckets.map((b) => ({
    price: (b.priceFrom + b.priceTo) / 2, priceFrom: b.priceFrom, priceTo: b.priceTo,
    long: b.longNotional, short: b.shortNotional, longCount: b.longCount, shortCount: b.shortCount,
  }));
  const first = map.buckets[0];
  const last = map.buckets[map.buckets.length - 1];
  const domain: [number, number] = first && last ? [first.priceFrom, last.priceTo] : [map.markPrice * 0.7, map.markPrice * 1.3];
  // Ticks every 5% of the mark, labelled with the price and the move.
  const ticks = Array.from({ length: 13 }, (_, i) => map.markPrice * (1 + (i - 6) * 0.05));
  return (
    <BarChart responsive data={data} style={{ width: "100%", height }} margin={{ top: 16, right: 12, bottom: 0, left: 0 }} barCategoryGap={0} barGap={0}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="price" type="number" domain={domain} stroke={AXIS} fontSize={10} ticks={ticks} interval={0}
        tickFormatter={(p: number) => formatPrice(p, tickSize)} allowDataOverflow />
      <YAxis stroke={AXIS} fontSize={10} width={56} tickFormatter={(n: number) => formatUsdCompact(n)}
        label={{ value: "USD", angle: -90, position: "insideLeft", fill: AXIS, fontSize: 10 }} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE} cursor={{ fill: "rgba(255,255,255,0.05)" }}
        labelFormatter={(_, payload) => {
          const l = payload?.[0]?.payload as Level | undefined;
          return l ? `mark ${formatPrice(l.priceFrom, tickSize)} – ${formatPrice(l.priceTo, tickSize)} USD` : "";
        }}
        formatter={(value, name, item) => {
          const l = item.payload as Level;
          const count = name === "longs liquidated" ? l.longCount : l.shortCount;
          return [`${formatUsdCompact(Number(value))} USD (${formatCount(count)} positions)`, name];
        }} />
      <Legend verticalAlign="top" align="left" height={20} iconSize={10} wrapperStyle={{ fontSize: 11, paddingLeft: 60 }} />
      <Bar dataKey="long" name="longs liquidated" stackId="n" fill={LONG_COLOR} isAnimationActive={false} />
      <Bar dataKey="short" name="shorts liquidated" stackId="n" fill={SHORT_COLOR} isAnimationActive={false} />
      <ReferenceLine x={map.markPrice} stroke="#d7dde5" strokeDasharray="4 3"
        label={{ value: `mark ${formatPrice(map.markPrice, tickSize)}`, position: "insideTopLeft", fill: "#d7dde5", fontSize: 10 }} />
    </BarChart>
  );
}
