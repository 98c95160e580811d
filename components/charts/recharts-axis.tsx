import type { AxisFormat } from "./axis-format";
import { AxisText, LABEL_OFFSET, LeftAxisUnit, RightAxisUnit, XAxisUnit, labelWidth, type TextBaseline } from "./axis-text";
import { labelAnchor } from "./chart-geometry";

/**
 * The axis parts of the Recharts charts, drawn with the plain-SVG charts' own text (axis-text.tsx)
 * from the same vocabulary (axis-format.ts): tick labels and units. Use the ticks with
 * `interval={0}` and explicit `ticks` (axis-ticks.ts), so that Recharts neither measures labels to
 * thin them out nor picks ticks of its own.
 */

/** What Recharts hands a custom tick renderer (the part used here). */
interface TickProps {
  x?: number | string;
  y?: number | string;
  /** Of the axis. */
  width?: number | string;
  payload?: { value?: unknown };
  textAnchor?: "start" | "middle" | "end" | "inherit";
  verticalAnchor?: string;
}

function baselineOf(verticalAnchor: string | undefined): TextBaseline {
  return verticalAnchor === "start" ? "top" : verticalAnchor === "end" ? "bottom" : "middle";
}

/**
 * A tick renderer writing each numeric tick with the axis's label. Given the `domain` of an x
 * axis, a label near an end of the plot is aligned to that end, as on the plain-SVG charts (left
 * of the plot is the axis's unit).
 */
export function axisTick(format: AxisFormat, domain?: readonly [number, number]) {
  return function renderTick({ x, y, width, payload, textAnchor, verticalAnchor }: TickProps) {
    const value = Number(payload?.value);
    const text = format.label(value);
    let anchor = textAnchor;
    if (domain && domain[1] > domain[0] && Number(width) > 0) {
      anchor = labelAnchor(((value - domain[0]) / (domain[1] - domain[0])) * Number(width), Number(width), labelWidth(text) / 2);
    }
    return <AxisText x={x} y={y} anchor={anchor} baseline={baselineOf(verticalAnchor)}>{text}</AxisText>;
  };
}

/** A category tick (the label as it is). */
export function categoryTick({ x, y, payload, textAnchor, verticalAnchor }: TickProps) {
  return <AxisText x={x} y={y} anchor={textAnchor} baseline={baselineOf(verticalAnchor)}>{String(payload?.value ?? "")}</AxisText>;
}

/** The box Recharts gives an axis's label: the axis's own area, px. */
interface LabelProps {
  viewBox?: { x?: number; y?: number; width?: number; height?: number };
}

/** A YAxis `label`: the axis's unit above its top tick, as on the plain-SVG charts. */
export function yUnitLabel(format: AxisFormat, side: "left" | "right" = "left") {
  return function renderUnit({ viewBox }: LabelProps) {
    const { x = 0, y = 0, width = 0 } = viewBox ?? {};
    return side === "left"
      ? <LeftAxisUnit unit={format.unit} labelsEnd={x + width - LABEL_OFFSET} chartLeft={x} top={y} />
      : <RightAxisUnit unit={format.unit} chartRight={x + width} top={y} />;
  };
}

/** An XAxis `label`: the axis's unit left of its first tick, as on the plain-SVG charts. */
export function xUnitLabel(format: AxisFormat) {
  return function renderUnit({ viewBox }: LabelProps) {
    const { x = 0, y = 0 } = viewBox ?? {};
    return <XAxisUnit unit={format.unit} left={x} bottom={y} />;
  };
}
