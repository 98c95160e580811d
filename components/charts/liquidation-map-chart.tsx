"use client";
import { Bar, BarChart, CartesianGrid, ReferenceLine, Tooltip, XAxis, YAxis } from "recharts";
import type { LiquidationMap } from "@/lib/risk";
import { formatPrice } from "@/lib/format/price";
import { formatUsdCompact } from "@/lib/format/usd";
import { formatCount } from "@/lib/format/quantity";
import { AXIS, GRID, LONG_COLOR, SHORT_COLOR, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { ChartLegend } from "./chart-legend";
import { plainTick } from "./plain-tick";

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
  // Ticks every 5% of the mark.
  const ticks = Array.from({ length: 13 }, (_, i) => map.markPrice * (1 + (i - 6) * 0.05));
  const move = (p: number) => {
    const m = Math.round((p / map.markPrice - 1) * 100);
    return m === 0 ? "mark" : `${m > 0 ? "+" : "−"}${Math.abs(m)}%`;
  };
  return (
    <>
      <ChartLegend items={[
        { label: "longs liquidated (price falls to the level)", color: LONG_COLOR },
        { label: "shorts liquidated (price rises to the level)", color: SHORT_COLOR },
        { label: `mark ${formatPrice(map.markPrice, tickSize)} USD`, color: "#d7dde5", kind: "line" },
      ]} />
      <BarChart responsive data={data} style={{ width: "100%", height }} margin={{ top: 6, right: 16, bottom: 0, left: 0 }} barCategoryGap={0} barGap={0}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="price" type="number" domain={domain} stroke={AXIS} ticks={ticks} interval={0} allowDataOverflow height={34}
          tick={(props: { x?: number | string; y?: number | string; payload?: { value?: unknown } }) => (
            <text x={props.x} y={props.y} textAnchor="middle" fill={AXIS} fontSize={10}>
              <tspan x={props.x} dy="0.71em">{formatPrice(Number(props.payload?.value), tickSize)}</tspan>
              <tspan x={props.x} dy="1.2em" fill="#5d6877">{move(Number(props.payload?.value))}</tspan>
            </text>
          )} />
        <YAxis stroke={AXIS} width={56} tickCount={5} interval={0} tick={plainTick(formatUsdCompact)} />
        <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE} cursor={{ fill: "rgba(255,255,255,0.05)" }}
          labelFormatter={(_, payload) => {
            const l = payload?.[0]?.payload as Level | undefined;
            return l ? `mark ${formatPrice(l.priceFrom, tickSize)} – ${formatPrice(l.priceTo, tickSize)} USD` : "";
          }}
          formatter={(value, name, item) => {
            const l = item.payload as Level;
            const count = name === "longs" ? l.longCount : l.shortCount;
            return [`${formatUsdCompact(Number(value))} USD (${formatCount(count)} positions)`, `${name} liquidated`];
          }} />
        <Bar dataKey="long" name="longs" stackId="n" fill={LONG_COLOR} isAnimationActive={false} />
        <Bar dataKey="short" name="shorts" stackId="n" fill={SHORT_COLOR} isAnimationActive={false} />
        <ReferenceLine x={map.markPrice} stroke="#d7dde5" strokeDasharray="4 3" />
      </BarChart>
    </>
  );
}
