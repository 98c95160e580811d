/**
 * The soak test's verdicts (scripts/soak.ts), pure. Samples are cut into fixed windows; over the
 * windows of the run's second half (after the warm-up, when caches, JIT and pools have settled) a
 * least-squares line is fitted, one point per window, to
 *
 *   - resident memory (mean RSS of the window, MB),
 *   - event-loop lag as the server measures it (its `monitorEventLoopDelay` p99 between two scrapes
 *     of /api/metrics, mean over the window's scrapes, ms),
 *   - /api/health latency p99 (the lag as a client sees it, ms),
 *
 * each with a 95% confidence interval; a figure "grows" when its slope is above its threshold and
 * the interval excludes zero.
 */
import { percentile } from "./live-server";

export interface SoakSample {
  /** Seconds since the soak started. */
  t: number;
  rssBytes: number;
  /** Latency of the /api/health probe (ms); null when it failed or the previous one was still in flight. */
  healthMs: number | null;
}

/** One scrape of the server's event-loop delay histogram (reset at each scrape: the figures cover the time since the previous one). */
export interface LagScrape {
  t: number;
  p99Ms: number;
  maxMs: number;
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
  /** 95% confidence interval of the slope, per minute (NaN with fewer than 3 points: no verdict). */
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
  /** Start and end, seconds since the soak started. */
  from: number;
  to: number;
  rssMeanBytes: number;
  /** The server's event-loop delay: mean of the scrapes' p99, and the largest max (NaN without a scrape). */
  loopP99: number;
  loopMax: number;
  healthP50: number;
  healthP99: number;
  healthMax: number;
  probes: number;
  failedProbes: number;
}

/** Samples from `from` on, cut into windows of `seconds` (a last partial window under half a window is dropped). */
export function windowsOf(samples: readonly SoakSample[], scrapes: readonly LagScrape[], from: number, seconds: number): SoakWindow[] {
  if (!(seconds > 0)) throw new RangeError(`window length must be positive, got ${seconds}`);
  const out: SoakWindow[] = [];
  const last = samples.length ? samples[samples.length - 1]!.t : from;
  for (let start = from; start + seconds / 2 <= last; start += seconds) {
    const inside = samples.filter((s) => s.t >= start && s.t < start + seconds);
    if (inside.length === 0) continue;
    const lags = inside.flatMap((s) => (s.healthMs === null ? [] : [s.healthMs])).sort((a, b) => a - b);
    const loop = scrapes.filter((s) => s.t >= start && s.t < start + seconds);
    out.push({
      from: start,
      to: Math.min(start + seconds, last),
      rssMeanBytes: inside.reduce((a, s) => a + s.rssBytes, 0) / inside.length,
      loopP99: loop.length ? loop.reduce((a, s) => a + s.p99Ms, 0) / loop.length : NaN,
      loopMax: loop.length ? Math.max(...loop.map((s) => s.maxMs)) : NaN,
      healthP50: percentile(lags, 50),
      healthP99: percentile(lags, 99),
      healthMax: lags.length ? lags[lags.length - 1]! : NaN,
      probes: inside.length,
      failedProbes: inside.length - lags.length,
    });
  }
  return out;
}

export interface SoakOptions {
  warmupS: number;
  windowS: number;
  rssThresholdMbPerMin: number;
  /** For both lag figures (server event-loop p99 and /api/health p99), ms per minute. */
  lagThresholdMsPerMin: number;
}

export interface SoakVerdict {
  rss: Trend;
  loopLagP99: Trend;
  healthP99: Trend;
  /** Every window after the warm-up; the trends use those that start at or after `trendFrom`. */
  windows: SoakWindow[];
  trendFrom: number;
}

/**
 * Warm-up excluded from everything: a tenth of the run, 30 s to 3 min. Windows: long enough to
 * hold many probes, short enough that the second half has at least 6 (1 min for 30 min runs).
 */
export function soakPhases(minutes: number): { warmupS: number; windowS: number } {
  const windowS = Math.min(60, Math.max(10, Math.floor((minutes * 60) / 2 / 6 / 5) * 5));
  return { warmupS: Math.min(180, Math.max(30, minutes * 6)), windowS };
}

/**
 * The trends over the second half of the run (windows starting at or after the later of the
 * warm-up and half the sampled time), one point per window at the window's middle, in minutes:
 * one point per window rather than per sample, because samples a second apart are not independent
 * (a GC cycle spans many), which would make the confidence interval too narrow; the second half
 * only, because growth that stops (pools filling, code warming) is not a leak, and growth that
 * goes on shows there as well.
 */
export function soakVerdict(samples: readonly SoakSample[], scrapes: readonly LagScrape[], opts: SoakOptions): SoakVerdict {
  const windows = windowsOf(samples, scrapes, opts.warmupS, opts.windowS);
  const end = samples.length ? samples[samples.length - 1]!.t : 0;
  const trendFrom = Math.max(opts.warmupS, end / 2);
  const late = windows.filter((w) => w.from >= trendFrom);
  const middle = (w: SoakWindow) => (w.from + w.to) / 120;
  const fit = (pick: (w: SoakWindow) => number, threshold: number) => {
    const ws = late.filter((w) => Number.isFinite(pick(w)));
    return trendOf(linearFit(ws.map(middle), ws.map(pick)), threshold);
  };
  return {
    rss: fit((w) => w.rssMeanBytes / 2 ** 20, opts.rssThresholdMbPerMin),
    loopLagP99: fit((w) => w.loopP99, opts.lagThresholdMsPerMin),
    healthP99: fit((w) => w.healthP99, opts.lagThresholdMsPerMin),
    windows,
    trendFrom,
  };
}

/** Reads the server's event-loop delay p99 and max (seconds, Prometheus text) as a scrape in ms; null when absent. */
export function lagScrapeOf(t: number, metricsText: string, prefix = "liqdesk_"): LagScrape | null {
  const read = (name: string) => {
    const line = metricsText.split("\n").find((l) => l.startsWith(`${prefix}${name} `) || l.startsWith(`${prefix}${name}{`));
    const v = line === undefined ? NaN : Number(line.slice(line.lastIndexOf(" ") + 1));
    return Number.isFinite(v) ? v * 1000 : null;
  };
  const p99Ms = read("nodejs_eventloop_lag_p99_seconds");
  const maxMs = read("nodejs_eventloop_lag_max_seconds");
  return p99Ms === null || maxMs === null ? null : { t, p99Ms, maxMs };
}
