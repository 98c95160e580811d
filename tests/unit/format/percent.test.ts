import { describe, expect, it } from "vitest";
import { formatMarginRatio, formatPct } from "@/lib/format/percent";

describe("percent formatting", () => {
  it("fractions as percentages, signed on request", () => {
    expect(formatPct(0.0235)).toBe("2.35%");
    expect(formatPct(-0.0079, 2, true)).toBe("\u22120.79%");
    expect(formatPct(0.009, 2, true)).toBe("+0.90%");
    expect(formatPct(0, 2, true)).toBe("0.00%");
    expect(formatPct(null)).toBe("—");
  });
  it("a margin ratio is rounded up, never shown safer than it is; equity ≤ 0 is ∞", () => {
    expect(formatMarginRatio(0.99996)).toBe("100.0%");
    expect(formatMarginRatio(0.8)).toBe("80.0%");
    expect(formatMarginRatio(0.80001)).toBe("80.1%");
    expect(formatMarginRatio(3.2, 0)).toBe("320%");
    expect(formatMarginRatio(null)).toBe("∞");
  });
});
