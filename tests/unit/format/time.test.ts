import { describe, expect, it } from "vitest";
import { formatClock, formatCountdown, formatDay, formatDuration } from "@/lib/format/time";
import { formatCount, formatCountOf, formatQty } from "@/lib/format/quantity";

describe("time and quantity formatting", () => {
  it("clock times in UTC", () => {
    expect(formatClock(Date.UTC(2026, 10, 22, 14, 3, 27))).toBe("14:03:27");
    expect(formatDay(Date.UTC(2026, 10, 22, 23, 59, 59))).toBe("22 Nov");
  });
  it("cool-down countdowns", () => {
    expect(formatCountdown(0)).toBe("now");
    expect(formatCountdown(12_001)).toBe("13 s");
    expect(formatCountdown(65_000)).toBe("1:05 min");
    expect(formatDuration(30_000)).toBe("30 s");
  });
  it("quantities at the market's lot decimals, counts with separators", () => {
    expect(formatQty(0.25, 0.001)).toBe("0.250");
    expect(formatQty(20592, 1)).toBe("20,592");
    expect(formatCount(3743)).toBe("3,743");
  });
  it("counts with their noun: singular for one only", () => {
    expect(formatCountOf(1, "account")).toBe("1 account");
    expect(formatCountOf(0, "account")).toBe("0 accounts");
    expect(formatCountOf(2657, "account")).toBe("2,657 accounts");
    expect(formatCountOf(null, "account")).toBe("— accounts");
  });
});
