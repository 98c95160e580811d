import { AXIS } from "./chart-theme";

/** The plotting area of a plain-SVG chart, px. */
export interface PlotBox {
  left: number;
  right: number;
  top: number;
  bottom: number;
}

/**
 * The axis lines and tick marks of a plain-SVG chart: y on the left, x at the bottom. The labels
 * stay with each chart (their text and layout differ).
 */
export function PlotAxes({ plot, yTicks, sy, xTicks, sx }: {
  plot: PlotBox;
  yTicks: readonly number[];
  sy: (y: number) => number;
  xTicks: readonly number[];
  sx: (x: number) => number;
}) {
  return (
    <g stroke={AXIS} fill="none">
      <path d={`M${plot.left},${plot.top}V${plot.bottom}H${plot.right}`} />
      {yTicks.map((t) => <path key={t} d={`M${plot.left - 6},${sy(t).toFixed(1)}h6`} />)}
      {xTicks.map((t) => <path key={t} d={`M${sx(t).toFixed(1)},${plot.bottom}v6`} />)}
    </g>
  );
}
