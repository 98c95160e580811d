import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { moveTicks, ratioTicks, timeTicks, valueTicks } from "@/components/charts/axis-ticks";
import { timeAxis } from "@/components/charts/axis-format";
import { LABEL_CHAR_WIDTH } from "@/components/charts/chart-theme";

/** The step between ticks is 1, 2 or 5 times a power of ten, every tick a whole number of steps. */
function expectNice(ticks: number[]) {
  expect(ticks.length).toBeGreaterThanOrEqual(2);
  const step = ticks[1]! - ticks[0]!;
  const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
  expect([1, 2, 5].some((m) => Math.abs(mantissa - m) < 1e-6), `step ${step}`).toBe(true);
  for (const [i, t] of ticks.entries()) {
    expect(t).toBeCloseTo(ticks[0]! + i * step, 9);
    expect(Math.abs(t / step - Math.round(t / step)), `${t} on a multiple of ${step}`).toBeLessThan(1e-6);
  }
}

describe("value ticks (d3 nice ticks)", () => {
  it("round numbers that cover the values, about as many as asked and never more than one over", () => {
    const { ticks, domain } = valueTicks([59_412.3, 59_800, 60_187.9]);
    expect(ticks).toEqual([59_400, 59_600, 59_800, 60_000, 60_200]);
    expect(domain).toEqual([59_400, 60_200]);
    expect(valueTicks([0.14998, 0.15362]).ticks).toEqual([0.149, 0.15, 0.151, 0.152, 0.153, 0.154]);
    // No floating-point dust in the labels.
    expect(valueTicks([0.1, 0.7]).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it("for any values: nice steps, the domain from the first tick to the last covering every value, at most count + 1 ticks", () => {
    fc.assert(fc.property(
      // Values to a millionth (prices, amounts): spans from 1e-6 to 2e9.
      fc.array(fc.integer({ min: -1e15, max: 1e15 }).map((n) => n / 1e6), { minLength: 1, maxLength: 20 }), fc.integer({ min: 4, max: 10 }),
      (values, count) => {
        const { ticks, domain } = valueTicks(values, { count });
        expectNice(ticks);
        expect(ticks.length).toBeLessThanOrEqual(count + 1);
        expect(domain).toEqual([ticks[0], ticks[ticks.length - 1]]);
        expect(domain[0]).toBeLessThanOrEqual(Math.min(...values));
        expect(domain[1]).toBeGreaterThanOrEqual(Math.max(...values));
      }), { numRuns: 2000 });
  });

  it("nulls and non-finite values are skipped; a flat series sits in the middle of its axis; no values, no ticks", () => {
    expect(valueTicks([3, null, 1, Number.NaN, 7, Number.POSITIVE_INFINITY])).toEqual(valueTicks([1, 7]));
    const flat = valueTicks([34.5, 34.5]);
    expect(flat.domain[0]).toBeLessThan(34.5);
    expect(flat.domain[1]).toBeGreaterThan(34.5);
    expect(flat.domain[0] + flat.domain[1]).toBeCloseTo(69, 9);
    expect(valueTicks([null]).ticks).toEqual([]);
  });

  it("bars and counts start at zero; counts have whole ticks only", () => {
    expect(valueTicks([12, 1_010_000], { zero: true }).ticks).toEqual([0, 500_000, 1_000_000, 1_500_000]);
    expect(valueTicks([0, 3], { zero: true, unit: 1 }).ticks).toEqual([0, 1, 2, 3]);
    expect(valueTicks([1], { zero: true, unit: 1 }).ticks).toEqual([0, 1]);
    expect(valueTicks([0, 0], { zero: true }).domain).toEqual([0, 1]);
    expect(valueTicks([0, 0], { zero: true, unit: 1 }).ticks).toEqual([0, 1]);
  });

  it("prices tick on whole tick sizes only, however little they moved: no two labels alike", () => {
    // LINK at a tick of 0.001, moved by two ticks: d3 alone would tick every 0.0005.
    const moved = valueTicks([15.046, 15.047, 15.048], { unit: 0.001 }).ticks;
    expect(moved).toEqual([15.046, 15.047, 15.048]);
    const flat = valueTicks([15.047, 15.047], { unit: 0.001 });
    expect(flat.domain[0]).toBeLessThan(15.047);
    expect(flat.domain[1]).toBeGreaterThan(15.047);
    fc.assert(fc.property(fc.integer({ min: 1, max: 1e9 }), fc.integer({ min: 0, max: 50 }), fc.constantFrom(0.1, 0.01, 0.001, 0.00001),
      (from, moves, tick) => {
        const { ticks, domain } = valueTicks([from * tick, (from + moves) * tick], { unit: tick });
        expect(ticks.length).toBeGreaterThanOrEqual(2);
        // To floating-point noise (the products here carry some).
        expect(domain[0]).toBeLessThanOrEqual(from * tick * (1 + 1e-12));
        expect(domain[1]).toBeGreaterThanOrEqual((from + moves) * tick * (1 - 1e-12));
        for (const t of ticks) expect(Math.abs(t / tick - Math.round(t / tick))).toBeLessThan(1e-6);
      }), { numRuns: 1000 });
  });
});

describe("the margin-ratio axis", () => {
  it("from 0 to a round top: the liquidation line always in view, capped at 300%", () => {
    expect(ratioTicks([]).ticks).toEqual([0, 20, 40, 60, 80, 100, 120]);
    expect(ratioTicks([95, null]).domain).toEqual([0, 120]);
    expect(ratioTicks([12, null, 131.8, 90]).ticks).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    expect(ratioTicks([250]).ticks).toEqual([0, 50, 100, 150, 200, 250]);
    // The tightest round top (d3's nice() alone rounds 0–150 up to 200 at some counts).
    expect(ratioTicks([149.6]).ticks).toEqual([0, 50, 100, 150]);
    expect(ratioTicks([12_000]).ticks).toEqual([0, 50, 100, 150, 200, 250, 300]);
  });

  it("whatever the ratios, 100% (liquidation) is a tick and the top is a tick at or above the highest ratio up to 300%", () => {
    fc.assert(fc.property(fc.array(fc.option(fc.double({ min: 0, max: 1e5, noNaN: true }))), (ratios) => {
      const { ticks, domain } = ratioTicks(ratios);
      expectNice(ticks);
      expect(ticks).toContain(100);
      expect(domain[0]).toBe(0);
      expect(domain[1]).toBe(ticks[ticks.length - 1]);
      expect(domain[1]).toBeLessThanOrEqual(300);
      expect(domain[1]).toBeGreaterThanOrEqual(Math.min(300, Math.max(120, ...ratios.map((r) => r ?? 0))));
    }));
  });
});

describe("time ticks (d3 UTC ticks)", () => {
  // In a zone half an hour off UTC, ticks on local boundaries would miss every UTC one.
  const zone = process.env.TZ;
  beforeAll(() => {
    process.env.TZ = "Asia/Kolkata";
  });
  afterAll(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  const SECOND = 1000;
  const MINUTE = 60 * SECOND;
  const HOUR = 60 * MINUTE;
  const DAY = 24 * HOUR;
  const start = Date.UTC(2026, 11, 7, 9, 13, 7, 345);

  it("fall on UTC boundaries (whole seconds, minutes, hours, days) inside the range", () => {
    expect(timeTicks(start, start + 35 * SECOND, 260)).toEqual([Date.UTC(2026, 11, 7, 9, 13, 15), Date.UTC(2026, 11, 7, 9, 13, 30)]);
    for (const [span, unit] of [[35 * SECOND, SECOND], [5 * MINUTE, MINUTE], [3 * HOUR, 15 * MINUTE], [3 * DAY, 6 * HOUR], [40 * DAY, DAY]] as const) {
      const ticks = timeTicks(start, start + span, 300);
      expect(ticks.length, `${span} ms`).toBeGreaterThanOrEqual(2);
      for (const t of ticks) {
        expect(t % unit, `${new Date(t).toISOString()} on a whole ${unit} ms in UTC`).toBe(0);
        expect(t).toBeGreaterThanOrEqual(start);
        expect(t).toBeLessThanOrEqual(start + span);
      }
    }
  });

  it("as many as fit the width with their labels side by side, more where there is more room", () => {
    for (const span of [3 * SECOND, 35 * SECOND, 5 * MINUTE, 2 * HOUR, 3 * DAY]) {
      let before = 0;
      for (const width of [120, 260, 600, 1200]) {
        const ticks = timeTicks(start, start + span, width);
        const { label } = timeAxis(ticks);
        expect(ticks.reduce((sum, t) => sum + label(t).length * LABEL_CHAR_WIDTH + 12, 0), `${span} ms in ${width} px`).toBeLessThanOrEqual(width);
        expect(ticks.length).toBeGreaterThanOrEqual(before);
        before = ticks.length;
      }
    }
  });

  it("a single instant is its own tick; no time, no tick", () => {
    expect(timeTicks(start, start, 300)).toEqual([start]);
    expect(timeTicks(Number.NaN, Number.NaN, 300)).toEqual([]);
  });
});

describe("move ticks", () => {
  const lines = (m: number) => ["60,123.4", `${Math.round(m * 100)}%`];

  it("every 5% of ±30% where there is room, fewer round moves (0 kept) where there is less", () => {
    expect(moveTicks(-0.3, 0.3, 1300, lines).map((m) => Math.round(m * 100))).toEqual([-30, -25, -20, -15, -10, -5, 0, 5, 10, 15, 20, 25, 30]);
    // A bound a price's arithmetic leaves just inside ±30% keeps its tick.
    expect(moveTicks(-0.29999999999, 0.30000000001 - 1e-11, 1300, lines)).toHaveLength(13);
    const narrow = moveTicks(-0.3, 0.3, 290, lines);
    expect(narrow).toContain(0);
    expect(narrow.length * (8 * LABEL_CHAR_WIDTH + 12)).toBeLessThanOrEqual(290);
    expectNice(narrow);
  });
});
