import { describe, expect, it } from "vitest";
import { mulberry32 } from "@/bench/lib/prng";
import {
  lagScrapeOf, linearFit, soakPhases, soakVerdict, t95, trendOf, windowsOf, type LagScrape, type SoakSample,
} from "@/bench/lib/soak-analysis";

const MB = 2 ** 20;
const OPTS = { warmupS: 60, windowS: 60, rssThresholdMbPerMin: 1, lagThresholdMsPerMin: 1 };

/** A 30-minute soak sampled four times a second: RSS and lag as functions of t (s), plus noise. */
function soak(rssMb: (t: number) => number, lagMs: (t: number) => number, minutes = 30, seed = 7): { samples: SoakSample[]; scrapes: LagScrape[] } {
  const rand = mulberry32(seed);
  const samples: SoakSample[] = [];
  const scrapes: LagScrape[] = [];
  for (let t = 0; t < minutes * 60; t += 0.25) {
    samples.push({ t, rssBytes: (rssMb(t) + 8 * (rand() - 0.5)) * MB, healthMs: rand() < 0.01 ? null : lagMs(t) + 4 * rand() });
    if (t % 5 === 0 && t > 0) {
      const p99 = lagMs(t) + 3 * rand();
      scrapes.push({ t, p99Ms: p99, maxMs: p99 + 10 * rand() });
    }
  }
  return { samples, scrapes };
}

describe("linear fit and trend", () => {
  it("fits a line exactly, with no error", () => {
    const f = linearFit([0, 1, 2, 3], [1, 3, 5, 7]);
    expect(f.slope).toBeCloseTo(2, 12);
    expect(f.intercept).toBeCloseTo(1, 12);
    expect(f.slopeError).toBeCloseTo(0, 12);
    expect(trendOf(f, 1).grows).toBe(true);
    expect(trendOf(f, 3).grows).toBe(false); // below the threshold however certain
  });

  it("gives no verdict from two points", () => {
    const t = trendOf(linearFit([0, 1], [0, 100]), 1);
    expect(t.points).toBe(2);
    expect(Number.isNaN(t.low)).toBe(true);
    expect(t.grows).toBe(false);
  });

  it("a steep slope whose interval includes zero does not grow", () => {
    const t = trendOf(linearFit([0, 1, 2, 3], [0, 40, -30, 30]), 1);
    expect(t.slope).toBeGreaterThan(1);
    expect(t.low).toBeLessThan(0);
    expect(t.grows).toBe(false);
  });

  it("rejects x and y of different lengths; Student's t from the table, then the normal's", () => {
    expect(() => linearFit([1, 2], [1])).toThrow(RangeError);
    expect(t95(1)).toBe(12.706);
    expect(t95(30)).toBe(2.042);
    expect(t95(500)).toBe(1.96);
    expect(Number.isNaN(t95(0))).toBe(true);
  });
});

describe("windows", () => {
  it("cuts samples after the warm-up into windows, with health percentiles, failed probes and the server's lag", () => {
    const samples: SoakSample[] = [];
    for (let t = 0; t < 40; t += 1) samples.push({ t, rssBytes: (t < 20 ? 100 : 200) * MB, healthMs: t % 10 === 9 ? null : t });
    const scrapes: LagScrape[] = [{ t: 12, p99Ms: 10, maxMs: 30 }, { t: 17, p99Ms: 20, maxMs: 25 }, { t: 33, p99Ms: 5, maxMs: 6 }];
    const ws = windowsOf(samples, scrapes, 10, 10);
    expect(ws.map((w) => [w.from, w.to])).toEqual([[10, 20], [20, 30], [30, 39]]);
    expect(ws[0]!.rssMeanBytes).toBe(100 * MB);
    expect(ws[0]!.failedProbes).toBe(1);
    expect(ws[0]!.probes).toBe(10);
    expect(ws[0]!.healthP50).toBe(14);
    expect(ws[0]!.healthMax).toBe(18);
    expect(ws[0]!.loopP99).toBe(15);
    expect(ws[0]!.loopMax).toBe(30);
    expect(Number.isNaN(ws[1]!.loopP99)).toBe(true); // no scrape in it
    expect(ws[2]!.loopMax).toBe(6);
  });

  it("drops a last window shorter than half a window", () => {
    const samples = Array.from({ length: 24 }, (_, t) => ({ t, rssBytes: MB, healthMs: 1 }));
    expect(windowsOf(samples, [], 0, 10).map((w) => w.from)).toEqual([0, 10]);
    expect(() => windowsOf(samples, [], 0, 0)).toThrow(RangeError);
  });

  it("phases: 30 min runs get 3 min of warm-up and 1 min windows; 2 min runs still have 6 windows in their second half", () => {
    expect(soakPhases(30)).toEqual({ warmupS: 180, windowS: 60 });
    const short = soakPhases(2);
    expect(short).toEqual({ warmupS: 30, windowS: 10 });
    expect(60 / short.windowS).toBeGreaterThanOrEqual(6);
  });
});

describe("soak verdict (second half of the run)", () => {
  it("flat memory and lag with noise: nothing grows", () => {
    const { samples, scrapes } = soak(() => 400, () => 12);
    const v = soakVerdict(samples, scrapes, OPTS);
    expect(v.trendFrom).toBeCloseTo(900, 0);
    expect(v.rss.points).toBe(15);
    expect(v.rss.grows).toBe(false);
    expect(v.loopLagP99.grows).toBe(false);
    expect(v.healthP99.grows).toBe(false);
  });

  it("a leak of 3 MB a minute grows; the lag does not", () => {
    const { samples, scrapes } = soak((t) => 400 + (3 * t) / 60, () => 12);
    const v = soakVerdict(samples, scrapes, OPTS);
    expect(v.rss.grows).toBe(true);
    expect(v.rss.slope).toBeGreaterThan(2.5);
    expect(v.rss.slope).toBeLessThan(3.5);
    expect(v.loopLagP99.grows).toBe(false);
  });

  it("lag that climbs 2 ms a minute grows, seen by the server and by the client", () => {
    const { samples, scrapes } = soak(() => 400, (t) => 12 + (2 * t) / 60);
    const v = soakVerdict(samples, scrapes, OPTS);
    expect(v.rss.grows).toBe(false);
    expect(v.loopLagP99.grows).toBe(true);
    expect(v.healthP99.grows).toBe(true);
  });

  it("memory that fills a cache in the first ten minutes and then stays is not a leak", () => {
    const { samples, scrapes } = soak((t) => 300 + 10 * Math.min(t / 60, 10), () => 12);
    const v = soakVerdict(samples, scrapes, OPTS);
    expect(v.rss.grows).toBe(false);
    // fitted over every window after the warm-up, the same run would have been called a leak
    expect(v.windows.length).toBeGreaterThan(v.rss.points);
    const middle = v.windows.map((w) => (w.from + w.to) / 120);
    expect(trendOf(linearFit(middle, v.windows.map((w) => w.rssMeanBytes / MB)), 1).grows).toBe(true);
  });

  it("a slow leak under the threshold does not grow", () => {
    const { samples, scrapes } = soak((t) => 400 + (0.3 * t) / 60, () => 12);
    expect(soakVerdict(samples, scrapes, OPTS).rss.grows).toBe(false);
  });
});

describe("reading the server's event-loop delay from /api/metrics", () => {
  it("takes p99 and max in ms, and null when absent", () => {
    const text = [
      "# HELP liqdesk_nodejs_eventloop_lag_p99_seconds The 99th percentile of the recorded event loop delays.",
      "# TYPE liqdesk_nodejs_eventloop_lag_p99_seconds gauge",
      "liqdesk_nodejs_eventloop_lag_p99_seconds 0.012345",
      "liqdesk_nodejs_eventloop_lag_max_seconds 0.05",
      "liqdesk_nodejs_eventloop_lag_p90_seconds 0.011",
    ].join("\n");
    const s = lagScrapeOf(5, text)!;
    expect(s.t).toBe(5);
    expect(s.p99Ms).toBeCloseTo(12.345, 9);
    expect(s.maxMs).toBeCloseTo(50, 9);
    expect(lagScrapeOf(5, "liqdesk_nodejs_eventloop_lag_p99_seconds 0.01")).toBeNull();
  });
});
