import type { ReactNode } from "react";
import { AXIS, AXIS_SECOND_LINE, FONT_SIZE, LABEL_CHAR_WIDTH, TICK_LABEL_GAP, TICK_LENGTH } from "./chart-theme";

/** From a tick's end to its label, px. */
export const LABEL_OFFSET = TICK_LENGTH + TICK_LABEL_GAP;

/** The line of a text that sits at its `y`: its top (under an x axis), its middle (beside a y axis) or its bottom. */
export type TextBaseline = "top" | "middle" | "bottom";
const DY: Record<TextBaseline, string> = { top: "0.71em", middle: "0.32em", bottom: "-0.2em" };

/**
 * A text of an axis, a tick's label or the axis's unit, as plain SVG text: never measured (the
 * tick <Text> of Recharts measures every new label in the DOM, a forced layout of the page per
 * label, which live charts redrawn several times a second cannot afford). The one text element of
 * both kinds of chart.
 */
export function AxisText({ x, y, anchor, baseline, children, fill = AXIS }: {
  x: number | string | undefined;
  y: number | string | undefined;
  anchor?: "start" | "middle" | "end" | "inherit";
  baseline: TextBaseline;
  children: ReactNode;
  fill?: string;
}) {
  return <text x={x} y={y} dy={DY[baseline]} textAnchor={anchor} fill={fill} fontSize={FONT_SIZE} className="tick">{children}</text>;
}

/** Estimated width of a label, px. */
export function labelWidth(text: string): number {
  return text.length * LABEL_CHAR_WIDTH;
}

/**
 * A y axis's unit, written above its top tick: aligned with the labels' outer edge, or, when it is
 * wider than the axis, from the chart's edge inwards. `side` is the axis's side; `labelsEdge`, the
 * x where its labels end (left) or start (right); `chartEdge`, the chart's left (0) or right edge.
 */
export function YAxisUnit({ unit, side, labelsEdge, chartEdge, top }: {
  unit: string;
  side: "left" | "right";
  labelsEdge: number;
  chartEdge: number;
  /** Of the plot, px. */
  top: number;
}) {
  const fits = labelWidth(unit) <= Math.abs(labelsEdge - chartEdge);
  const anchor = side === "left" ? (fits ? "end" : "start") : fits ? "start" : "end";
  return <AxisText x={fits ? labelsEdge : chartEdge} y={top - LABEL_OFFSET} anchor={anchor} baseline="bottom">{unit}</AxisText>;
}

/** An x axis's unit (and its second line's), written left of its first label, under the end of the y axis's labels. */
export function XAxisUnit({ unit, second, left, bottom }: {
  unit: string;
  second?: string;
  /** Of the plot, px. */
  left: number;
  bottom: number;
}) {
  const x = left - LABEL_OFFSET;
  return (
    <AxisText x={x} y={bottom + LABEL_OFFSET} anchor="end" baseline="top">
      {second === undefined ? unit : <><tspan x={x}>{unit}</tspan><tspan x={x} dy="1.2em" fill={AXIS_SECOND_LINE}>{second}</tspan></>}
    </AxisText>
  );
}
