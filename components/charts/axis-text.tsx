import type { ReactNode } from "react";
import { AXIS, AXIS_SECOND_LINE, FONT_SIZE, LABEL_CHAR_WIDTH, TICK_LABEL_GAP, TICK_LENGTH } from "./chart-theme";

/** From a tick's end to its label, px. */
export const LABEL_OFFSET = TICK_LENGTH + TICK_LABEL_GAP;

/** From a y axis's top to the foot of its unit, px: clear of the top tick's label (the chart's top margin holds the unit: 16 px at least). */
const UNIT_ABOVE_TOP = 5;

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
 * A left y axis's unit, written above its top tick: aligned with the labels' right end
 * (`labelsEnd`), or from the chart's left edge when it is wider than the axis.
 */
export function LeftAxisUnit({ unit, labelsEnd, chartLeft, top }: {
  unit: string;
  labelsEnd: number;
  chartLeft: number;
  /** Of the plot, px. */
  top: number;
}) {
  const fits = labelWidth(unit) <= labelsEnd - chartLeft;
  return <AxisText x={fits ? labelsEnd : chartLeft} y={top - UNIT_ABOVE_TOP} anchor={fits ? "end" : "start"} baseline="bottom">{unit}</AxisText>;
}

/** A right y axis's unit, written above its top tick, ending at the chart's right edge. */
export function RightAxisUnit({ unit, chartRight, top }: { unit: string; chartRight: number; top: number }) {
  return <AxisText x={chartRight} y={top - UNIT_ABOVE_TOP} anchor="end" baseline="bottom">{unit}</AxisText>;
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
