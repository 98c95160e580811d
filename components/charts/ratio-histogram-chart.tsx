"use client";
import { Bar, BarChart, CartesianGrid, Cell, LabelList, Tooltip, XAxis, YAxis } from "recharts";
import type { RatioHistogram } from "@/lib/contracts/desk";
import { ratioBand, STATUS_COLORS } from "@/lib/client/ratio-bands";
import { formatCount } from "@/lib/format/quantity";
import { AXIS, GRID, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";

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
export function histogramBuckets(h: RatioHistogram): Bucket[] {
  const out: Bucket[] = h.edges.map((lo, i) => {
    const hi = h.edges[i + 1];
    return {
      label: hi === undefined ? `${Math.round(lo * 100)}+` : String(Math.round(lo * 100)),
      range: hi === undefined ? `margin ratio ≥ ${pct(lo)}` : `margin ratio ${pct(lo)} – ${pct(hi)}`,
      count: h.counts[i] ?? 0,
      // A bucket is coloured by the band of its upper part (the 100–110% bucket is liquidatable).
      color: STATUS_COLORS[ratioBand(hi === undefined ? lo + 1e-9 : (lo + hi) / 2)],
    };
  });
  out.push({ label: "eq≤0", range: "equity ≤ 0 (bankrupt, no ratio)", count: h.bankrupt, color: STATUS_COLORS.bankrupt });
  return out;
}

/**
 * Margin-ratio distribution as bars coloured by band (healthy, warning ≥ 80%, liquidatable ≥ 100%,
 * backstop > 150%); counts written over the bars so that the few accounts at risk stay readable
 * beside the many healthy ones.
 */
export function RatioHistogramChart({ histogram, height }: { histogram: RatioHistogram; height: number }) {
  const data = histogramBuckets(histogram);
  return (
    <BarChart responsive data={data} style={{ width: "100%", height }} margin={{ top: 18, right: 4, bottom: 0, left: 0 }}>
      <CartesianGrid stroke={GRID} vertical={false} />
      <XAxis dataKey="label" stroke={AXIS} fontSize={10} interval={0} tickLine={false}
        label={{ value: "margin ratio %, MM / equity  →  worse (100 = liquidation)", position: "insideBottom", offset: -2, fill: AXIS, fontSize: 10 }}
        height={34} />
      <YAxis stroke={AXIS} fontSize={10} width={44} allowDecimals={false} tickFormatter={(n: number) => formatCount(n)} />
      <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE} cursor={{ fill: "rgba(255,255,255,0.04)" }}
        labelFormatter={(_, payload) => (payload?.[0]?.payload as Bucket | undefined)?.range ?? ""}
        formatter={(n) => [`${formatCount(Number(n))} accounts`, "count"]} />
      <Bar dataKey="count" isAnimationActive={false}>
        {data.map((b) => <Cell key={b.label} fill={b.color} />)}
        <LabelList dataKey="count" position="top" fontSize={9} fill="#aab4c0"
          formatter={(n: unknown) => (Number(n) > 0 ? formatCount(Number(n)) : "")} />
      </Bar>
    </BarChart>
  );
}
