/**
 * The geometry of the plain SVG charts (lines and bars): scales, round ("nice") axis ticks, paths
 * and where labels go. Pure functions of their arguments; the chart components only draw what
 * they return.
 */

/** A linear map of `domain` onto `range` (a flat domain maps to the middle of the range). */
export function linearScale([d0, d1]: readonly [number, number], [r0, r1]: readonly [number, number]): (v: number) => number {
  if (d1 === d0) return () => (r0 + r1) / 2;
  const k = (r1 - r0) / (d1 - d0);
  return (v) => r0 + (v - d0) * k;
}

/** A round step near `span / count`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const pow = 10 ** Math.floor(Math.log10(raw));
  const f = raw / pow;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * pow;
}

/**
 * About `count` round ticks that cover `[min, max]`; the axis domain is from the first tick to the
 * last. A flat range (one value, or every value equal) is widened around the value so that the line
 * sits in the middle. Non-finite bounds give no ticks.
 */
export function niceTicks(min: number, max: number, count: number): { ticks: number[]; domain: [number, number] } {
  if (!Number.isFinite(min) || !Number.isFinite(max) || min > max) return { ticks: [], domain: [0, 1] };
  if (min === max) {
    const pad = Math.abs(min) * 1e-3 || 1;
    min -= pad;
    max += pad;
  }
  const step = niceStep(max - min, count - 1);
  const first = Math.floor(min / step) * step;
  const last = Math.ceil(max / step) * step;
  const ticks: number[] = [];
  // Rounded to the step's decimals, so that 0.1 + 0.2 does not print as 0.30000000000000004.
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 2);
  for (let i = 0; first + i * step <= last + step / 2; i++) ticks.push(Number((first + i * step).toFixed(decimals)));
  return { ticks, domain: [ticks[0]!, ticks[ticks.length - 1]!] };
}

/** Lowest and highest of the values that are numbers (`[Infinity, -Infinity]` when none is). */
export function extent(values: Iterable<number | null>): [number, number] {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return [lo, hi];
}

/**
 * The SVG path of a line through `points` in order, in pixels to one decimal; a `null` value ends
 * the line and the next value starts a new one (a gap, never a made-up value).
 */
export function linePath(points: readonly { x: number; y: number | null }[], x: (v: number) => number, y: (v: number) => number): string {
  let d = "";
  let pen = false;
  for (const p of points) {
    if (p.y === null || !Number.isFinite(p.y)) {
      pen = false;
      continue;
    }
    d += `${pen ? "L" : "M"}${x(p.x).toFixed(1)},${y(p.y).toFixed(1)}`;
    pen = true;
  }
  return d;
}

/** Index of the point whose `x` is nearest to `at` (points sorted by `x`); -1 when there is none. */
export function nearestIndex(points: readonly { x: number }[], at: number): number {
  if (points.length === 0) return -1;
  let lo = 0;
  let hi = points.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (points[mid]!.x < at) lo = mid + 1;
    else hi = mid;
  }
  if (lo > 0 && at - points[lo - 1]!.x <= points[lo]!.x - at) return lo - 1;
  return lo;
}

/** One bar: from `x0` to `x1` across, from `y0` to `y1` up (pixels; either order). */
export interface BarBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** Every bar of one colour as a single SVG path (one element, however many bars); empty bars are left out. */
export function barsPath(bars: readonly BarBox[]): string {
  let d = "";
  for (const b of bars) {
    if (b.x1 === b.x0 || b.y1 === b.y0) continue;
    d += `M${b.x0.toFixed(1)},${b.y0.toFixed(1)}V${b.y1.toFixed(1)}H${b.x1.toFixed(1)}V${b.y0.toFixed(1)}Z`;
  }
  return d;
}

/** How to anchor a label of half-width `half` centred on `x` so that it stays inside `[0, width]`. */
export function labelAnchor(x: number, width: number, half: number): "start" | "middle" | "end" {
  return x < half ? "start" : x > width - half ? "end" : "middle";
}

/**
 * Y axis top for margin ratios in percent: at least 120% (the liquidation line in view), else the
 * highest point rounded up, but no higher than 300%: an account near bankruptcy (ratio in the
 * thousands) would flatten every other line; above 300% the line leaves the chart (the tooltip
 * still has the value).
 */
export function ratioAxisMax(max: number): number {
  return Math.min(300, Math.max(120, Math.ceil(max / 20) * 20));
}

/** Round ticks from 0 to `top` (a value of ratioAxisMax): every 20% up to 160%, every 50% above, the top always shown. */
export function ratioTicks(top: number): number[] {
  const step = top <= 160 ? 20 : 50;
  const ticks: number[] = [];
  for (let t = 0; t < top; t += step) ticks.push(t);
  if (top - (ticks[ticks.length - 1] ?? 0) < step / 2) ticks.pop();
  ticks.push(top);
  return ticks;
}

/** The highest ratio of the points (0 when none has one). */
export function highestRatio(points: readonly { ratio: number | null }[]): number {
  let max = 0;
  for (const p of points) if (p.ratio !== null && p.ratio > max) max = p.ratio;
  return max;
}
