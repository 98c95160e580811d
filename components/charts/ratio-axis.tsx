import { ReferenceLine, YAxis } from "recharts";
import { AXIS, FONT_SIZE, LIQUIDATION_COLOR, PANEL, WARNING_COLOR } from "./chart-theme";
import { MARGIN_RATIO_AXIS } from "./axis-format";
import type { AxisTicks } from "./axis-ticks";
import { axisTick, yUnitLabel } from "./recharts-axis";

/** A threshold's label: its colour, outlined in the panel's background so that a series crossing it leaves it readable. */
function thresholdLabel(value: string, color: string, position: "insideTopLeft" | "insideBottomLeft") {
  return { value, fill: color, fontSize: FONT_SIZE, position, stroke: PANEL, strokeWidth: 3, paintOrder: "stroke" };
}

/**
 * The margin-ratio axis (ratioTicks) and its two thresholds, for a Recharts chart (called as a
 * function: Recharts reads its children's elements). The liquidation label sits above its line,
 * the warning label below its own, so that the two never crowd the band between them.
 */
export function ratioAxis(axis: AxisTicks) {
  return [
    <YAxis key="y" stroke={AXIS} width={48} domain={axis.domain} allowDataOverflow ticks={axis.ticks} interval={0}
      tick={axisTick(MARGIN_RATIO_AXIS)} label={yUnitLabel(MARGIN_RATIO_AXIS)} />,
    <ReferenceLine key="warning" y={80} stroke={WARNING_COLOR} strokeDasharray="3 3"
      label={thresholdLabel("80% warning", WARNING_COLOR, "insideTopLeft")} />,
    <ReferenceLine key="liquidation" y={100} stroke={LIQUIDATION_COLOR} strokeDasharray="3 3"
      label={thresholdLabel("100% liquidation", LIQUIDATION_COLOR, "insideBottomLeft")} />,
  ];
}
