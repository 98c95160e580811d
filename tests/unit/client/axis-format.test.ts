import { describe, expect, it } from "vitest";
import { ACCOUNTS_AXIS, MARGIN_RATIO_AXIS, formatTimeUtc, moveAxis, priceAxis, timeAxis, usdAxis } from "@/components/charts/axis-format";

const at = (h: number, m: number, s = 0, day = 7) => Date.UTC(2026, 11, day, h, m, s);

describe("axis vocabulary", () => {
  it("every axis names its unit; tick labels read as the rest of the desk writes figures", () => {
    expect(priceAxis(0.001)).toMatchObject({ unit: "USD" });
    expect(priceAxis(0.001).label(35.6)).toBe("35.600");
    expect(priceAxis(0.1).label(60_000)).toBe("60,000.0");
    expect(usdAxis([0, 500_000, 1_000_000])).toMatchObject({ unit: "USD" });
    expect([0, 500_000, 1_500_000].map(usdAxis([0, 500_000, 1_000_000, 1_500_000]).label)).toEqual(["0", "500 k", "1.50 M"]);
    expect(ACCOUNTS_AXIS.unit).toBe("accounts");
    expect(ACCOUNTS_AXIS.label(1229)).toBe("1,229");
    expect(MARGIN_RATIO_AXIS.label(100)).toBe("100%");
    expect(timeAxis([at(9, 13, 15)]).unit).toBe("UTC");
  });

  it("USD ticks whose compact labels would repeat are written in whole dollars", () => {
    const ticks = [250_000, 250_500, 251_000, 251_500];
    expect(ticks.map(usdAxis(ticks).label)).toEqual(["250,000", "250,500", "251,000", "251,500"]);
    expect([0.5, 0.75, 1].map(usdAxis([0.5, 0.75, 1]).label)).toEqual(["0.50", "0.75", "1.00"]);
    expect([1, 1.5, 2].map(usdAxis([1, 1.5, 2]).label)).toEqual(["1.0", "1.5", "2.0"]);
  });

  it("moves are signed, with no more decimals than the tick has; the reference reads its own name", () => {
    const move = moveAxis("vs mark", "mark");
    expect(move.unit).toBe("vs mark");
    expect([-0.3, -0.05, 0, 0.05 * (1 + 1e-12), 0.1].map(move.label)).toEqual(["−30%", "−5%", "mark", "+5%", "+10%"]);
    expect([-0.025, -0.125, 0.0125].map(moveAxis("vs live").label)).toEqual(["−2.5%", "−12.5%", "+1.25%"]);
    expect(moveAxis("vs live").label(0)).toBe("0%");
  });

  it("time labels are as precise as their ticks: seconds, minutes, or the day at midnight on an axis of days", () => {
    const seconds = [at(9, 13, 15), at(9, 13, 30), at(9, 13, 45)];
    expect(seconds.map(timeAxis(seconds).label)).toEqual(["09:13:15", "09:13:30", "09:13:45"]);
    const minutes = [at(9, 14), at(9, 15), at(9, 16)];
    expect(minutes.map(timeAxis(minutes).label)).toEqual(["09:14", "09:15", "09:16"]);
    const days = [at(12, 0, 0, 7), at(0, 0, 0, 8), at(12, 0, 0, 8), at(0, 0, 0, 9)];
    expect(days.map(timeAxis(days).label)).toEqual(["12:00", "08 Dec", "12:00", "09 Dec"]);
    // Midnight within an axis of minutes is a time of day.
    expect(timeAxis([at(23, 59), at(0, 0, 0, 8)]).label(at(0, 0, 0, 8))).toBe("00:00");
    expect(formatTimeUtc(at(9, 13, 7))).toBe("09:13:07 UTC");
  });
});
