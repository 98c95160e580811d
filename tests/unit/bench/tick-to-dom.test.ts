import { describe, expect, it } from "vitest";
import { markText, PROBES, probeFigures, probePrice, QUEUE_PROBE, RATIO_PROBE, tickDirection } from "@/bench/lib/probe-accounts";
import { matchTick, rowObservations, tickLatencies } from "@/bench/lib/tick-attribution";
import { walkStep } from "@/bench/lib/background-feed";

describe("tick latencies from what the page showed", () => {
  const sentAt = [0, 1000, 2000, 3000];

  it("a tick shown itself is timed exactly and as shown", () => {
    const l = tickLatencies(sentAt, [1, 2], [{ t: 1300, tick: 1 }, { t: 2150, tick: 2 }]);
    expect(l.exact).toEqual([300, 150]);
    expect(l.shownOrSuperseded).toEqual([300, 150]);
    expect(l.exactTicks).toEqual([1, 2]);
    expect(l.superseded).toBe(0);
    expect(l.never).toBe(0);
  });

  it("a tick replaced by the next before it showed is superseded, timed to the newer figures", () => {
    const l = tickLatencies(sentAt, [1, 2], [{ t: 2400, tick: 2 }]);
    expect(l.exact).toEqual([400]);
    expect(l.exactTicks).toEqual([2]);
    expect(l.shownOrSuperseded).toEqual([1400, 400]);
    expect(l.superseded).toBe(1);
  });

  it("older figures shown after the send do not count, and a tick never followed by its figures or newer is never shown", () => {
    const l = tickLatencies(sentAt, [2, 3], [{ t: 2100, tick: 1 }, { t: 2600, tick: 2 }]);
    expect(l.exact).toEqual([600]);
    expect(l.never).toBe(1);
  });

  it("observations before the send never count for the tick", () => {
    const l = tickLatencies(sentAt, [2], [{ t: 1999, tick: 2 }, { t: 2500, tick: 3 }]);
    expect(l.exact).toEqual([]);
    expect(l.superseded).toBe(1);
    expect(l.shownOrSuperseded).toEqual([500]);
  });
});

describe("queue row observations", () => {
  it("names a present row by its tick, and its absence after tick j by tick j + 1", () => {
    const obs = rowObservations([
      { t: 10, present: false, tick: null },
      { t: 20, present: true, tick: 1 },
      { t: 30, present: false, tick: null },
      { t: 40, present: true, tick: 5 },
      { t: 50, present: true, tick: null },
      { t: 60, present: false, tick: null },
    ]);
    // A row whose mark names no tick leaves the absence after it unnamed too.
    expect(obs).toEqual([{ t: 20, tick: 1 }, { t: 30, tick: 2 }, { t: 40, tick: 5 }]);
  });
});

describe("matching a shown value to a tick", () => {
  it("picks the closest expected value within the tolerance, else none", () => {
    expect(matchTick([0.85, 1.15, 0.8499], 1.15 * (1 + 1e-12))).toBe(1);
    expect(matchTick([0.85, 1.15, 0.8499], 0.8499)).toBe(2);
    expect(matchTick([0.85, null, 1.15], 1.0)).toBeNull();
  });
});

describe("probe accounts", () => {
  it("the ratio probe is warning on up ticks and liquidatable on down ticks, every tick with its own ratio", () => {
    const ratios = new Set<number>();
    for (let k = 0; k < 400; k++) {
      const f = probeFigures(RATIO_PROBE, probePrice(RATIO_PROBE, k));
      expect(f.status).toBe(tickDirection(k) === 1 ? "warning" : "liquidatable");
      const nearest = [...ratios].reduce((d, r) => Math.min(d, Math.abs(r - f.marginRatio!) / f.marginRatio!), Infinity);
      expect(nearest).toBeGreaterThan(1e-6);
      ratios.add(f.marginRatio!);
    }
  });

  it("the queue probe is healthy on up ticks and bankrupt far below the line on down ticks, every tick with its own mark", () => {
    const marks = new Set<string>();
    for (let k = 0; k < 400; k++) {
      const price = probePrice(QUEUE_PROBE, k);
      const f = probeFigures(QUEUE_PROBE, price);
      if (tickDirection(k) === 1) expect(f.status).toBe("healthy");
      else {
        expect(f.status).toBe("bankrupt");
        expect(f.equity / f.maintenanceMargin).toBeLessThan(-5);
      }
      marks.add(markText(price));
    }
    expect(marks.size).toBe(400);
  });

  it("prices are whole ticks of the probe markets", () => {
    for (const p of PROBES) {
      for (const k of [0, 1, 77, 399]) {
        const price = probePrice(p, k);
        expect(Math.abs(price / p.market.tickSize - Math.round(price / p.market.tickSize))).toBeLessThan(1e-6);
      }
    }
  });
});

describe("the background feed's walk", () => {
  it("moves by at most the step, on the tick grid", () => {
    expect(walkStep(1000, 1000, 1, 0.002, 0.01, 0.01)).toBe(1002);
    expect(walkStep(1000, 1000, 0, 0.002, 0.01, 0.01)).toBe(998);
    expect(walkStep(1000, 1000, 0.5, 0.002, 0.01, 0.01)).toBe(1000);
    expect(walkStep(1000, 1000, 0.75, 0.002, 0.01, 0.5)).toBe(1001);
  });

  it("reflects back inside the band around the start mark", () => {
    expect(walkStep(1009, 1000, 1, 0.002, 0.01, 0.001)).toBeCloseTo(1010 - (1009 * 1.002 - 1010), 3);
    expect(walkStep(991, 1000, 0, 0.002, 0.01, 0.001)).toBeCloseTo(990 + (990 - 991 * 0.998), 3);
    let price = 1000;
    for (let i = 0; i < 5000; i++) {
      price = walkStep(price, 1000, (i * 0.618) % 1 > 0.3 ? 1 : 0, 0.002, 0.01, 0.01);
      expect(price).toBeGreaterThanOrEqual(990);
      expect(price).toBeLessThanOrEqual(1010);
    }
  });
});
