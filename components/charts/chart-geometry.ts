/**
 * The geometry of the plain SVG charts (lines and bars): paths, the point under the pointer and
 * where labels go. Scales and ticks are d3-scale's (axis-ticks.ts). Pure functions of their
 * arguments; the chart components only draw what they return.
 */

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

/**
 * How to anchor a label of half-width `half` centred on `x` so that it stays inside `[0, width]`
 * (an x axis's labels stay over its plot: left of it is the axis's unit).
 */
export function labelAnchor(x: number, width: number, half: number): "start" | "middle" | "end" {
  return x < half ? "start" : x > width - half ? "end" : "middle";
}
