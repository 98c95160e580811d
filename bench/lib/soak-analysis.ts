/**
 * The soak test's verdicts (scripts/soak.ts), pure: least-squares slopes, over fixed windows, of
 * resident memory and of event-loop lag p99, each with a 95% confidence interval; a figure
 * "grows" when its slope is above its threshold and the interval excludes zero.
 */
import { percentile } from "./live-server";

export interface SoakSample {
  /** Seconds since the simulator started. */
  t: number;
  rssBytes: number;
  /** Latency of the lag probe (ms); null when it failed or was still in flight. */
  lagMs: number | null;
}

export interface LinearFit {
  /** Change per unit of x. */
  slope: number;
  intercept: number;
  /** Standard error of the slope (NaN with fewer than 3 points). */
  slopeError: number;
  n: number;
}

/** Ordinary least squares of y on x. */
export function linearFit(x: readonly number[], y: readonly number[]): LinearFit {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`x and y differ in length (${n} and ${y.length})`);
  if (n < 2) return { slope: NaN, intercept: NaN, slopeError: NaN, n };
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i]! - mx) ** 2;
    sxy += (x[i]! - mx) * (y[i]! - my);
  }
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i]! - intercept - slope * x[i]!) ** 2;
  const slopeError = n > 2 ? Math.sqrt(sse / (n - 2) / sxx) : NaN;
  return { slope, intercept, slopeError, n };
}

/** Two-sided 95% quantile of Student's t with `df` degrees of freedom (table to 30, then the normal's). */
export function t95(df: number): number {
  const table = [NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
    2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042];
  return df >= 1 && df < table.length ? table[df]! : df >= table.length ? 1.96 : NaN;
}

export interface Trend {
  /** Per minute. */
  slope: number;
  /** 95% confidence interval of the slope, per minute. */
  low: number;
  high: number;
  points: number;
  threshold: number;
  grows: boolean;
}

/** A fit whose x is in minutes, judged against `threshold` (same unit as the slope). */
export function trendOf(fit: LinearFit, threshold: number): Trend {
  const half = t95(fit.n - 2) * fit.slopeError;
  const low = fit.slope - half;
  const high = fit.slope + half;
  return { slope: fit.slope, low, high, points: fit.n, threshold, grows: fit.slope > threshold && low > 0 };
}

export interface SoakWindow {
  /** Start and end, seconds since the simulator started. */
  from: number;
  to: number;
  rssMeanBytes: number;
  lagP50: number;
  lagP99: number;
  lagMax: number;
  probes: number;
  failedProbes: number;
}

/** Samples from `from` on, cut into windows of `seconds` (a last partial window under half a window is dropped). */
export function windowsOf(samples: readonly SoakSample[], from: number, seconds: number): SoakWindow[] {
  const out: SoakWindow[] = [];
  const last = samples.length ? samples[samples.length - 1]!.t : from;
  for (let start = from; start + seconds / 2 <= last; start += seconds) {
    const inside = samples.filter((s) => s.t >= start && s.t < start + seconds);
    if (inside.length === 0) continue;
    const lags = inside.flatMap((s) => (s.lagMs === null ? [] : [s.lagMs])).sort((a, b) => a - b);
    out.push({
      from: start,
      to: Math.min(start + seconds, last),
      rssMeanBytes: inside.reduce((a, s) => a + s.rssBytes, 0) / inside.length,
      lagP50: percentile(lags, 50),
      lagP99: percentile(lags, 99),
      lagMax: lags.length ? lags[lags.length - 1]! : NaN,
      probes: inside.length,
      failedProbes: inside.length - lags.length,
    });
  }
  return out;
}

export interface SoakVerdict {
  rss: Trend;
  lagP99: Trend;
  windows: SoakWindow[];
}

/**
 * Both trends from the windows after the warm-up, one point per window (the window's middle, in
 * minutes): mean RSS in MB and lag p99 in ms. One point per window rather than per sample, because
 * samples a second apart are not independent (a GC cycle spans many), which would make the
 * confidence interval too narrow.
 */
export function soakVerdict(
  samples: readonly SoakSample[],
  opts: { warmupS: number; windowS: number; rssThresholdMbPerMin: number; lagThresholdMsPerMin: number },
): SoakVerdict {
  const windows = windowsOf(samples, opts.warmupS, opts.windowS);
  const middle = (w: SoakWindow) => (w.from + w.to) / 120;
  const rssFit = linearFit(windows.map(middle), windows.map((w) => w.rssMeanBytes / 2 ** 20));
  const lagWindows = windows.filter((w) => Number.isFinite(w.lagP99));
  const lagFit = linearFit(lagWindows.map(middle), lagWindows.map((w) => w.lagP99));
  return { rss: trendOf(rssFit, opts.rssThresholdMbPerMin), lagP99: trendOf(lagFit, opts.lagThresholdMsPerMin), windows };
}
