import type { AxisFormat } from "./axis-format";
import { AxisText, LABEL_OFFSET, XAxisUnit, YAxisUnit, type TextBaseline } from "./axis-text";

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
  payload?: { value?: unknown };
  textAnchor?: "start" | "middle" | "end" | "inherit";
  verticalAnchor?: string;
}

function baselineOf(verticalAnchor: string | undefined): TextBaseline {
  return verticalAnchor === "start" ? "top" : verticalAnchor === "end" ? "bottom" : "middle";
}

/** A tick renderer writing each numeric tick with the axis's label. */
export function axisTick(format: AxisFormat) {
  return function renderTick({ x, y, payload, textAnchor, verticalAnchor }: TickProps) {
    return <AxisText x={x} y={y} anchor={textAnchor} baseline={baselineOf(verticalAnchor)}>{format.label(Number(payload?.value))}</AxisText>;
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
      ? <YAxisUnit unit={format.unit} side="left" labelsEdge={x + width - LABEL_OFFSET} chartEdge={x} top={y} />
      : <YAxisUnit unit={format.unit} side="right" labelsEdge={x + LABEL_OFFSET} chartEdge={x + width} top={y} />;
  };
}

/** An XAxis `label`: the axis's unit left of its first tick, as on the plain-SVG charts. */
export function xUnitLabel(format: AxisFormat) {
  return function renderUnit({ viewBox }: LabelProps) {
    const { x = 0, y = 0 } = viewBox ?? {};
    return <XAxisUnit unit={format.unit} left={x} bottom={y} />;
  };
}
