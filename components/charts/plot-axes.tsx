import { AXIS, AXIS_SECOND_LINE, TICK_LENGTH } from "./chart-theme";
import type { AxisFormat } from "./axis-format";
import { AxisText, LABEL_OFFSET, LeftAxisUnit, XAxisUnit, labelWidth } from "./axis-text";
import { labelAnchor } from "./chart-geometry";

/** The plotting area of a plain-SVG chart, px. */
export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/** One axis of a plain-SVG chart: where its ticks fall, its scale, and what it reads (axis-format.ts). */
export interface PlotAxis {
  ticks: readonly number[];
  scale: (value: number) => number;
  format: AxisFormat;
}

/**
 * The axes of a plain-SVG chart, y on the left and x at the bottom: lines, tick marks, labels and
 * units, laid out as Recharts lays out its own (the same offsets, text and units). An x label near
 * an end of the plot is aligned to that end.
 */
export function PlotAxes({ plot, x, y }: { plot: PlotBox; x: PlotAxis; y: PlotAxis }) {
  const second = x.format.second;
  return (
    <>
      <g stroke={AXIS} fill="none">
        <path d={`M${plot.left},${plot.top}V${plot.bottom}H${plot.right}`} />
        {y.ticks.map((t) => <path key={t} d={`M${plot.left - TICK_LENGTH},${y.scale(t).toFixed(1)}h${TICK_LENGTH}`} />)}
        {x.ticks.map((t) => <path key={t} d={`M${x.scale(t).toFixed(1)},${plot.bottom}v${TICK_LENGTH}`} />)}
      </g>
      <LeftAxisUnit unit={y.format.unit} labelsEnd={plot.left - LABEL_OFFSET} chartLeft={0} top={plot.top} />
      {y.ticks.map((t) => (
        <AxisText key={t} x={plot.left - LABEL_OFFSET} y={y.scale(t)} anchor="end" baseline="middle">{y.format.label(t)}</AxisText>
      ))}
      <XAxisUnit unit={x.format.unit} second={second?.unit} left={plot.left} bottom={plot.bottom} />
      {x.ticks.map((t) => {
        const at = x.scale(t);
        const text = x.format.label(t);
        const anchor = labelAnchor(at - plot.left, plot.right - plot.left, labelWidth(text) / 2);
        return (
          <AxisText key={t} x={at} y={plot.bottom + LABEL_OFFSET} anchor={anchor} baseline="top">
            {second ? <><tspan x={at}>{text}</tspan><tspan x={at} dy="1.2em" fill={AXIS_SECOND_LINE}>{second.label(t)}</tspan></> : text}
          </AxisText>
        );
      })}
    </>
  );
}
