/**
 * The axis vocabulary of every chart, Recharts and plain SVG alike: what each kind of axis reads
 * (its unit, written once at the axis, and each tick's label) and how many ticks it gets. Where
 * the ticks fall is in axis-ticks.ts.
 */
import { formatClock, formatDay } from "@/lib/format/time";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";
import { formatPrice } from "@/lib/format/price";
import { formatCount } from "@/lib/format/quantity";
import { formatPct } from "@/lib/format/percent";

/** What an axis reads: its unit and each tick's label; `second`, a second line under each label (plain SVG x axes). */
export interface AxisFormat {
  unit: string;
  label: (value: number) => string;
  second?: AxisFormat;
}

/** How many ticks a value axis gets: about this many intervals, never more than one tick over. */
export const VALUE_TICKS = 5;
/** The margin-ratio axis: finer (every 20% up to 140%), so that both thresholds, 80% and 100%, are ticks while the view is near them. */
export const RATIO_TICKS = 7;
/**
 * Width of the time axis of a Recharts panel, px. Those charts are not measured: their time ticks
 * are as many as fit the plot of the narrowest panel (a 390 px phone).
 */
export const PANEL_TIME_AXIS_PX = 300;
/** Least space between two labels along an x axis, px. */
export const LABEL_GAP = 12;

/** Prices at the market's tick decimals, USD. */
export function priceAxis(tickSize: number): AxisFormat {
  return { unit: "USD", label: (p) => formatPrice(p, tickSize) };
}

/**
 * USD aggregates (notional, balances) at `ticks`: compact (500 k, 1.50 M), or in whole dollars
 * (or the decimals the step needs) where compact labels of neighbouring ticks would read the same
 * (250,000 and 250,500 both "250 k").
 */
export function usdAxis(ticks: readonly number[]): AxisFormat {
  const compact = ticks.map(formatUsdCompact);
  if (new Set(compact).size === compact.length) return { unit: "USD", label: formatUsdCompact };
  const decimals = Math.max(...ticks.map((t) => decimalsOf(t, 6)));
  return { unit: "USD", label: (v) => formatUsd(v, decimals) };
}

/** Whole counts of accounts. */
export const ACCOUNTS_AXIS: AxisFormat = { unit: "accounts", label: formatCount };

/** Margin ratio (MM / equity) in percent, 100% = liquidation; values are percentages (131.8, not 1.318). */
export const MARGIN_RATIO_AXIS: AxisFormat = { unit: "margin ratio", label: (p) => `${p}%` };

/** Margin-ratio buckets (a category axis: "80", "150+", "eq≤0"), in percent. */
export const RATIO_BUCKET_AXIS: AxisFormat = { unit: "%", label: String };

/** Rounds of a cascade (a category axis: 0 is the shock). */
export const ROUND_AXIS: AxisFormat = { unit: "round", label: String };

/**
 * A move as a signed fraction of a reference price (0.05 → "+5%", −0.025 → "−2.5%"), with no more
 * decimals than the tick has (up to two); the reference itself reads `zero`.
 */
export function moveAxis(unit: string, zero = "0%"): AxisFormat {
  return {
    unit,
    label: (f) => {
      const pct = f * 100;
      if (Math.abs(pct) < 1e-9) return zero;
      return formatPct(f, decimalsOf(pct, 2), true);
    },
  };
}

/** The fewest decimals, up to `most`, that write `value` exactly (to floating-point noise). */
function decimalsOf(value: number, most: number): number {
  for (let d = 0; d < most; d++) if (Math.abs(Number(value.toFixed(d)) - value) < 1e-9 * Math.max(1, Math.abs(value))) return d;
  return most;
}

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/**
 * A time axis in UTC, its labels as precise as its ticks: "14:03:27" between whole minutes,
 * "14:05" on whole minutes, and on an axis longer than a day "22 Nov" at midnight.
 */
export function timeAxis(ticks: readonly number[]): AxisFormat {
  const spansDays = ticks.length > 1 && ticks[ticks.length - 1]! - ticks[0]! >= DAY_MS;
  const onMinutes = ticks.length > 0 && ticks.every((t) => t % MINUTE_MS === 0);
  return {
    unit: "UTC",
    // formatClock's "hh:mm:ss" without the seconds.
    label: (t) => (spansDays && t % DAY_MS === 0 ? formatDay(t) : onMinutes ? formatClock(t).slice(0, 5) : formatClock(t)),
  };
}

/** A time as a tooltip or read-out gives it, to the second, with its zone: "14:03:27 UTC". */
export function formatTimeUtc(ts: number): string {
  return `${formatClock(ts)} UTC`;
}
