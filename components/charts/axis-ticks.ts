/**
 * Where the ticks of every chart fall, Recharts and plain SVG alike: d3-scale's round ("nice")
 * linear ticks and its UTC time ticks, held to as many as the axis has room for. Pure functions
 * of their arguments.
 */
import { scaleLinear, scaleUtc } from "d3-scale";
import { LABEL_CHAR_WIDTH } from "./chart-theme";
import { LABEL_GAP, RATIO_TICKS, VALUE_TICKS, timeAxis } from "./axis-format";

/** A value axis: its domain runs from the first tick to the last. */
export interface AxisTicks {
  domain: [number, number];
  ticks: number[];
}

/**
 * Round ticks that cover the finite `values` (nulls and non-finite values skipped): d3's nice
 * ticks for about `count` intervals, never more than `count + 1` ticks. `zero` keeps 0 on the axis
 * (bars, counts); `unit` keeps only ticks on whole units (1 for counts, the tick size for prices:
 * no two labels alike), at least two of them. A flat series is widened around its value so that
 * its line sits in the middle; no value at all gives no ticks.
 */
export function valueTicks(values: Iterable<number | null>, { count = VALUE_TICKS, zero = false, unit = 0 } = {}): AxisTicks {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (zero) {
    lo = Math.min(lo, 0);
    hi = Math.max(hi, 0);
  }
  if (!(lo <= hi)) return { domain: [0, 1], ticks: [] };
  // Floating-point noise apart is flat.
  if (hi - lo <= Math.max(Math.abs(lo), Math.abs(hi)) * 1e-12) {
    if (zero && lo === 0) hi = 1;
    else {
      const pad = Math.abs(lo) * 1e-3 || 1;
      lo -= pad;
      hi += pad;
    }
  }
  // At least two whole units on the axis: from 0, one unit up; elsewhere two units wide.
  const least = zero && lo === 0 ? unit : 2 * unit;
  if (hi - lo < least) {
    const widen = least - (hi - lo);
    if (zero && lo === 0) hi += widen;
    else {
      lo -= widen / 2;
      hi += widen / 2;
    }
  }
  // d3 picks a step of 1, 2 or 5 times a power of ten near span / count; a step rounded down can
  // give up to twice the ticks asked for, and its nice() may round twice (0–150 to 0–200 at 5).
  // Of the counts up to `count`, the axis with at most count + 1 ticks (at least 3 where one
  // has them) on the tightest domain, then the most ticks.
  const candidates = Array.from({ length: Math.max(1, count) }, (_, i) => niceAxis(lo, hi, count - i, unit))
    .filter((a) => a.ticks.length >= 2);
  const fit = candidates.filter((a) => a.ticks.length <= count + 1);
  const pool = fit.some((a) => a.ticks.length >= 3) ? fit.filter((a) => a.ticks.length >= 3) : fit;
  const span = (a: AxisTicks) => a.domain[1] - a.domain[0];
  return pool.sort((a, b) => span(a) - span(b) || b.ticks.length - a.ticks.length)[0]
    // None fits (a span at the edge of floating point): the fewest ticks.
    ?? candidates.sort((a, b) => a.ticks.length - b.ticks.length)[0]
    ?? { domain: [lo, hi], ticks: [] };
}

function niceAxis(lo: number, hi: number, count: number, unit: number): AxisTicks {
  const scale = scaleLinear().domain([lo, hi]).nice(count);
  // `|| 0`: no −0 (an axis at −0.000004 … 0 ends at 0).
  let ticks = scale.ticks(count).map((t) => t || 0);
  if (unit > 0) ticks = ticks.filter((t) => Math.abs(t / unit - Math.round(t / unit)) < 1e-6);
  const [d0, d1] = scale.domain() as [number, number];
  return { domain: [d0 || 0, d1 || 0], ticks };
}

/** Above this, a margin ratio leaves the chart (the tooltip still has it): one near bankruptcy would flatten every other line. */
const RATIO_AXIS_CAP = 300;
/** The liquidation line (100%) always in view, with room above it. */
const RATIO_AXIS_FLOOR = 120;

/**
 * The margin-ratio axis (percent), from 0 to a round top: at least 120% so the liquidation line is
 * in view, else the highest ratio rounded up to a tick, but never above 300%.
 */
export function ratioTicks(ratios: Iterable<number | null>): AxisTicks {
  let highest = 0;
  for (const r of ratios) if (r !== null && r > highest) highest = r;
  return valueTicks([0, Math.min(RATIO_AXIS_CAP, Math.max(RATIO_AXIS_FLOOR, highest))], { count: RATIO_TICKS });
}

/**
 * The ticks `ticksFor(count)` gives for the largest count, from `most` down, whose labels fit
 * `widthPx` side by side (each its estimated width plus a gap; labels of every line counted).
 */
function fitting(widthPx: number, most: number, ticksFor: (count: number) => number[], labels: (ticks: number[]) => (t: number) => string[]): number[] {
  let tried: number[] = [];
  for (let count = Math.max(1, most); ; count--) {
    const ticks = ticksFor(count);
    // Neighbouring counts often give the same ticks: label each set once.
    if (count > 1 && ticks.length === tried.length && ticks[0] === tried[0]) continue;
    tried = ticks;
    const lines = labels(ticks);
    const room = ticks.reduce((sum, t) => sum + Math.max(...lines(t).map((l) => l.length)) * LABEL_CHAR_WIDTH + LABEL_GAP, 0);
    if (room <= widthPx || count <= 1) return ticks;
  }
}

/**
 * Time ticks between `from` and `to` (epoch ms) on UTC boundaries (whole seconds, minutes, hours,
 * days: d3's scaleUtc), as many as fit `widthPx` with their labels (timeAxis) side by side.
 */
export function timeTicks(from: number, to: number, widthPx: number): number[] {
  if (!(to > from)) return Number.isFinite(from) ? [from] : [];
  const scale = scaleUtc().domain([from, to]);
  // Below a second apart the labels (to the second) would repeat.
  return fitting(widthPx, Math.floor(widthPx / 40), (count) => scale.ticks(count).map(Number).filter((t) => t % 1000 === 0),
    (ticks) => {
      const { label } = timeAxis(ticks);
      return (t) => [label(t)];
    });
}

/**
 * Round ticks of a move from a reference between `lo` and `hi` (fractions: −0.3 to 0.3 for ±30%),
 * as many as fit `widthPx` with the labels `lines(move)` gives (a price and its move, say).
 */
export function moveTicks(lo: number, hi: number, widthPx: number, lines: (move: number) => string[]): number[] {
  // To a millionth: a bound that is 0.3 in a price's arithmetic (0.29999999…) keeps its tick.
  const scale = scaleLinear().domain([Math.round(lo * 1e6) / 1e6, Math.round(hi * 1e6) / 1e6]);
  return fitting(widthPx, Math.floor(widthPx / 40), (count) => scale.ticks(count), () => lines);
}
