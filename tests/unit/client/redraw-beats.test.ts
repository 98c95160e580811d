import { describe, expect, it } from "vitest";
import { CLOCK_BEAT, DESK_BEAT, HISTOGRAM_BEAT, MARKETS_BEAT, SELECTED_RATIOS_BEAT, markChartBeat, nextBeat } from "@/lib/client/redraw-beats";

describe("redraw beats", () => {
  it("the next beat is the first time on the beat strictly after now", () => {
    const beat = { periodMs: 1000, offsetMs: 250 };
    expect(nextBeat(beat, 10_000)).toBe(10_250);
    expect(nextBeat(beat, 10_249)).toBe(10_250);
    expect(nextBeat(beat, 10_250)).toBe(11_250);
    expect(nextBeat(beat, 10_900)).toBe(11_250);
    expect(nextBeat({ periodMs: 2000, offsetMs: 1625 }, 4_000)).toBe(5_625);
  });

  it("the parts of the desk redraw at different moments of the second", () => {
    const offsets = (b: { periodMs: number; offsetMs: number }) =>
      Array.from({ length: 2000 / b.periodMs }, (_, i) => (b.offsetMs + i * b.periodMs) % 2000);
    const all = [DESK_BEAT, MARKETS_BEAT, HISTOGRAM_BEAT, CLOCK_BEAT, SELECTED_RATIOS_BEAT, ...Array.from({ length: 8 }, (_, i) => markChartBeat(i, 8))]
      .flatMap(offsets);
    expect(new Set(all).size).toBe(all.length);
  });

  it("mark charts take turns over the second, whatever the number of markets", () => {
    expect(Array.from({ length: 4 }, (_, i) => markChartBeat(i, 4).offsetMs)).toEqual([125, 375, 625, 875]);
    expect(markChartBeat(9, 8)).toEqual(markChartBeat(1, 8));
    expect(markChartBeat(0, 0).offsetMs).toBe(500);
  });
});
