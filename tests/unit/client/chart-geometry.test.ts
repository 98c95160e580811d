import { describe, expect, it } from "vitest";
import { barsPath, labelAnchor, linePath, nearestIndex } from "@/components/charts/chart-geometry";

describe("chart geometry", () => {
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
});
