import { AXIS } from "./chart-theme";

/** What Recharts hands a custom tick renderer (the part used here). */
interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value?: unknown };
  textAnchor?: "start" | "middle" | "end" | "inherit";
  verticalAnchor?: string;
}

/**
 * Axis ticks as plain SVG text. Recharts' own tick <Text> measures every new label in the DOM
 * (a forced layout of the whole page per label), which live charts redrawn several times a
 * second cannot afford. Use with `interval={0}` and explicit `ticks` or a `tickCount`, so that
 * Recharts does not measure labels to thin them out either.
 */
export function plainTick(format: (value: number) => string) {
  return function renderTick({ x, y, payload, textAnchor, verticalAnchor }: TickProps) {
    const dy = verticalAnchor === "start" ? "0.71em" : verticalAnchor === "end" ? "-0.2em" : "0.32em";
    return (
      <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={AXIS} fontSize={10} className="tick">
        {format(Number(payload?.value))}
      </text>
    );
  };
}

/** A category tick (the label as it is). */
export function plainCategoryTick({ x, y, payload, textAnchor, verticalAnchor }: TickProps) {
  const dy = verticalAnchor === "start" ? "0.71em" : verticalAnchor === "end" ? "-0.2em" : "0.32em";
  return (
    <text x={x} y={y} dy={dy} textAnchor={textAnchor} fill={AXIS} fontSize={10} className="tick">{String(payload?.value ?? "")}</text>
  );
}

const STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 43200, 86400].map((s) => s * 1000);

/** About `count` time ticks on round seconds/minutes between `from` and `to` (epoch ms). */
export function timeTicks(from: number, to: number, count = 5): number[] {
  if (!(to > from)) return Number.isFinite(from) ? [from] : [];
  const step = STEPS_MS.find((s) => s >= (to - from) / count) ?? STEPS_MS[STEPS_MS.length - 1]!;
  const out: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) out.push(t);
  return out;
}
