import { ReferenceLine, YAxis } from "recharts";
import { AXIS } from "./chart-theme";
import { plainTick } from "./plain-tick";
import { ratioTicks } from "./chart-geometry";

/** The panel's background (--panel) as the threshold labels' outline, so that a series crossing a label leaves it readable. */
const LABEL_HALO = "#111821";

/**
 * The margin-ratio axis and its two thresholds, for a Recharts chart (called as a function:
 * Recharts reads its children's elements). The liquidation label sits above its line, the warning
 * label below its own, so that the two never crowd the band between them.
 */
export function ratioAxis(top: number) {
  return [
    <YAxis key="y" stroke={AXIS} width={48} domain={[0, top]} allowDataOverflow ticks={ratioTicks(top)} interval={0} tick={plainTick((p) => `${p}%`)} />,
    <ReferenceLine key="warning" y={80} stroke="#d29922" strokeDasharray="3 3"
      label={{ value: "80% warning", fill: "#d29922", fontSize: 10, position: "insideTopLeft", stroke: LABEL_HALO, strokeWidth: 3, paintOrder: "stroke" }} />,
    <ReferenceLine key="liquidation" y={100} stroke="#f85149" strokeDasharray="3 3"
      label={{ value: "100% liquidation", fill: "#f85149", fontSize: 10, position: "insideBottomLeft", stroke: LABEL_HALO, strokeWidth: 3, paintOrder: "stroke" }} />,
  ];
}
