"use client";
import { memo } from "react";
import { Bar, CartesianGrid, ComposedChart, Line, Tooltip, XAxis, YAxis } from "recharts";
import { formatUsd } from "@/lib/format/usd";
import { formatPct } from "@/lib/format/percent";
import { AXIS, GRID, LINE_WIDTH, LIQUIDATION_COLOR, SERIES_COLORS, TOOLTIP_LABEL_STYLE, TOOLTIP_STYLE } from "./chart-theme";
import { moveAxis, ROUND_AXIS, usdAxis } from "./axis-format";
import { valueTicks } from "./axis-ticks";
import { ChartLegend } from "./chart-legend";
import { axisTick, categoryTick, xUnitLabel, yUnitLabel } from "./recharts-axis";

/** One cascade round for the chart: notional liquidated and each market's mark as a move from the live mark. */
export interface CascadeRoundPoint {
  round: number;
  liquidated: number;
  /** Market id → mark after the round relative to the live mark before the shock (fraction). */
  [marketMove: string]: number;
}

const BAR = LIQUIDATION_COLOR;
const MOVE_AXIS = moveAxis("vs live");

/**
 * The cascade of spec §8 round by round: bars of liquidated notional (USD, left axis), lines of
 * each affected market's mark after the round as a move from the live mark (%, right axis).
 * Round 0 is the shock itself.
 */
export const CascadeRoundsChart = memo(function CascadeRoundsChart({ points, markets, height }: { points: CascadeRoundPoint[]; markets: string[]; height: number }) {
  const usd = valueTicks(points.map((p) => p.liquidated), { zero: true });
  const usdFormat = usdAxis(usd.ticks);
  const move = valueTicks(points.flatMap((p) => markets.map((id) => p[id] ?? null)));
  return (
    <>
      <ChartLegend items={[
        { label: "liquidated notional per round (USD, left)", color: BAR },
        ...markets.map((id, i) => ({ label: `${id} mark vs live (%, right)`, color: SERIES_COLORS[i % SERIES_COLORS.length]!, kind: "line" as const })),
      ]} />
      <ComposedChart responsive data={points} style={{ width: "100%", height }} margin={{ top: 16, right: 8, bottom: 0, left: 0 }}>
        <CartesianGrid stroke={GRID} vertical={false} />
        <XAxis dataKey="round" stroke={AXIS} interval={points.length > 30 ? Math.ceil(points.length / 30) - 1 : 0}
          tick={categoryTick} height={20} label={xUnitLabel(ROUND_AXIS)} />
        <YAxis yAxisId="usd" stroke={AXIS} width={56} domain={usd.domain} ticks={usd.ticks} interval={0}
          tick={axisTick(usdFormat)} label={yUnitLabel(usdFormat)} />
        <YAxis yAxisId="move" orientation="right" stroke={AXIS} width={52} domain={move.domain} ticks={move.ticks} interval={0}
          tick={axisTick(MOVE_AXIS)} label={yUnitLabel(MOVE_AXIS, "right")} />
        <Tooltip contentStyle={TOOLTIP_STYLE} labelStyle={TOOLTIP_LABEL_STYLE} labelFormatter={(r) => (Number(r) === 0 ? "the shock" : `round ${r}`)}
          formatter={(v, name) => (name === "liquidated notional"
            ? [`${formatUsd(Number(v), 0)} USD`, name]
            : [`${formatPct(Number(v), 2, true)} vs live mark`, name])} />
        <Bar yAxisId="usd" dataKey="liquidated" name="liquidated notional" fill={BAR} fillOpacity={0.7} isAnimationActive={false} />
        {markets.map((id, i) => (
          <Line key={id} yAxisId="move" dataKey={id} name={`${id} mark`} type="linear" stroke={SERIES_COLORS[i % SERIES_COLORS.length]}
            dot={{ r: 2 }} strokeWidth={LINE_WIDTH} isAnimationActive={false} />
        ))}
      </ComposedChart>
    </>
  );
});
