import { describe, expect, it } from "vitest";
import { barsPath, extent, highestRatio, labelAnchor, linePath, linearScale, nearestIndex, niceTicks, ratioAxisMax, ratioTicks } from "@/components/charts/chart-geometry";

describe("chart geometry", () => {
  it("a linear scale maps the domain onto the range, inverted ranges included; a flat domain maps to the middle", () => {
    const y = linearScale([100, 200], [150, 0]);
    expect(y(100)).toBe(150);
    expect(y(200)).toBe(0);
    expect(y(150)).toBe(75);
    expect(linearScale([5, 5], [0, 10])(5)).toBe(5);
  });

  it("ticks are round numbers that cover the values, about as many as asked", () => {
    const { ticks, domain } = niceTicks(59_412.3, 60_187.9, 5);
    expect(ticks).toEqual([59_400, 59_600, 59_800, 60_000, 60_200]);
    expect(domain).toEqual([59_400, 60_200]);
    expect(niceTicks(0.14998, 0.15362, 5).ticks).toEqual([0.149, 0.15, 0.151, 0.152, 0.153, 0.154]);
    // No floating-point dust in the labels.
    expect(niceTicks(0.1, 0.7, 4).ticks).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
  });

  it("a flat series gets ticks around its value; no values, no ticks", () => {
    const { ticks, domain } = niceTicks(34.5, 34.5, 5);
    expect(domain[0]).toBeLessThan(34.5);
    expect(domain[1]).toBeGreaterThan(34.5);
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(niceTicks(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 5).ticks).toEqual([]);
  });

  it("extent skips nulls and non-finite values", () => {
    expect(extent([3, null, 1, Number.NaN, 7])).toEqual([1, 7]);
    expect(extent([null])).toEqual([Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]);
  });

  it("the path moves to the first point, draws to the next, and breaks at a null (a gap, not a made-up value)", () => {
    const id = (v: number) => v;
    expect(linePath([{ x: 0, y: 1 }, { x: 1, y: 2 }, { x: 2, y: null }, { x: 3, y: 4 }, { x: 4, y: 5 }], id, id))
      .toBe("M0.0,1.0L1.0,2.0M3.0,4.0L4.0,5.0");
    expect(linePath([], id, id)).toBe("");
  });

  it("nearest point to a position, ties to the earlier one", () => {
    const pts = [{ x: 0 }, { x: 10 }, { x: 20 }];
    expect(nearestIndex(pts, -5)).toBe(0);
    expect(nearestIndex(pts, 4)).toBe(0);
    expect(nearestIndex(pts, 5)).toBe(0);
    expect(nearestIndex(pts, 6)).toBe(1);
    expect(nearestIndex(pts, 99)).toBe(2);
    expect(nearestIndex([], 1)).toBe(-1);
  });

  it("bars of one colour are one path of closed boxes; empty bars are left out", () => {
    expect(barsPath([{ x0: 0, x1: 2, y0: 10, y1: 4 }, { x0: 2, x1: 4, y0: 10, y1: 10 }, { x0: 4, x1: 6, y0: 10, y1: 7.25 }]))
      .toBe("M0.0,10.0V4.0H2.0V10.0ZM4.0,10.0V7.3H6.0V10.0Z");
    expect(barsPath([])).toBe("");
  });

  it("a label near an edge is aligned to that edge, else centred on its tick", () => {
    expect(labelAnchor(5, 300, 20)).toBe("start");
    expect(labelAnchor(150, 300, 20)).toBe("middle");
    expect(labelAnchor(290, 300, 20)).toBe("end");
  });

  it("the margin-ratio axis: the liquidation line always in view, round tops, capped at 300%; round ticks ending at the top", () => {
    expect(ratioAxisMax(0)).toBe(120);
    expect(ratioAxisMax(95)).toBe(120);
    expect(ratioAxisMax(131.8)).toBe(140);
    expect(ratioAxisMax(250)).toBe(260);
    expect(ratioAxisMax(12_000)).toBe(300);
    expect(ratioTicks(120)).toEqual([0, 20, 40, 60, 80, 100, 120]);
    expect(ratioTicks(140)).toEqual([0, 20, 40, 60, 80, 100, 120, 140]);
    expect(ratioTicks(180)).toEqual([0, 50, 100, 150, 180]);
    expect(ratioTicks(260)).toEqual([0, 50, 100, 150, 200, 260]);
    expect(ratioTicks(300)).toEqual([0, 50, 100, 150, 200, 250, 300]);
    expect(highestRatio([{ ratio: 12 }, { ratio: null }, { ratio: 131.8 }, { ratio: 90 }])).toBe(131.8);
    expect(highestRatio([{ ratio: null }])).toBe(0);
  });
});
