"use client";
import { memo } from "react";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { RatioHistogram } from "@/lib/contracts/book-views";
import { ratioBand, STATUS_COLORS, type RatioBands } from "@/lib/client/ratio-bands";
import { useRatioBands } from "@/lib/client/ratio-bands-context";
import { formatCount, formatCountOf } from "@/lib/format/quantity";
import { AXIS, GRID, HOVER_FILL, SMALL_FONT_SIZE, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE, VALUE_LABEL } from "./chart-theme";
import { ACCOUNTS_AXIS, RATIO_BUCKET_AXIS } from "./axis-format";
import { valueTicks } from "./axis-ticks";
import { axisTick, categoryTick, xUnitLabel, yUnitLabel } from "./recharts-axis";

interface Bucket {
  label: string;
  range: string;
  count: number;
  color: string;
}

function pct(r: number): string {
  return `${Math.round(r * 100)}%`;
}

/** Buckets of the histogram in display order, with the equity ≤ 0 bucket last. */
export function histogramBuckets(h: RatioHistogram, bands: RatioBands): Bucket[] {
  const out: Bucket[] = h.edges.map((lo, i) => {
    const hi = h.edges[i + 1];
    return {
      label: hi === undefined ? `${Math.round(lo * 100)}+` : String(Math.round(lo * 100)),
      range: hi === undefined ? `margin ratio ≥ ${pct(lo)}` : `margin ratio ${pct(lo)} – ${pct(hi)}`,
      count: h.counts[i] ?? 0,
      // A bucket is coloured by the band of its middle (the 100–110% bucket is liquidatable).
      color: STATUS_COLORS[ratioBand(hi === undefined ? lo + 1e-9 : (lo + hi) / 2, bands)],
    };
  });
  out.push({ label: "eq≤0", range: "equity ≤ 0 (bankrupt, no ratio)", count: h.bankrupt, color: STATUS_COLORS.bankrupt });
  return out;
}

interface CountLabelProps {
  x?: number | string;
  y?: number | string;
  width?: number | string;
  value?: unknown;
}

/** The count over a bar, plain SVG text (no measuring). */
function countLabel({ x, y, width, value }: CountLabelProps) {
  const n = Number(value);
  if (!(n > 0)) return null;
  return <text x={Number(x) + Number(width) / 2} y={Number(y) - 3} textAnchor="middle" fill={VALUE_LABEL} fontSize={SMALL_FONT_SIZE}>{formatCount(n)}</text>;
}

/**
 * Margin-ratio distribution as bars coloured by band (healthy, warning, liquidatable ≥ 100%, backstop:
 * the server's risk parameters); counts written over the bars so that the few accounts at risk stay readable
 * beside the many healthy ones. On a narrow screen every other bucket is labelled (evenly), never overlapping labels.
 */
export const RatioHistogramChart = memo(function RatioHistogramChart({ histogram, height }: { histogram: RatioHistogram; height: number }) {
  const data = histogramBuckets(histogram, useRatioBands());
  const y = valueTicks(data.map((b) => b.count), { zero: true, unit: 1 });
  return (
    <BarChart responsive data={data} style={{ width: "100%", height }} margin={{ top: 16, right: 4, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" stroke={AXIS} interval="equidistantPreserveStart" minTickGap={4} tickLine={false} tick={categoryTick} height={20} label={xUnitLabel(RATIO_BUCKET_AXIS)} />
      <YAxis stroke={AXIS} width={44} domain={y.domain} ticks={y.ticks} interval={0} tick={axisTick(ACCOUNTS_AXIS)} label={yUnitLabel(ACCOUNTS_AXIS)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE} cursor={{ fill: HOVER_FILL }}
        labelFormatter={(_, payload) => (payload?.[0]?.payload as Bucket | undefined)?.range ?? ""}
        formatter={(n) => [formatCountOf(Number(n), "account"), "count"]} />
      <Bar dataKey="count" isAnimationActive={false}>
        {data.map((b) => <Cell key={b.label} fill={b.color} />)}
        <LabelList dataKey="count" content={countLabel} />
      </Bar>
    </BarChart>
  );
});
