import { describe, expect, it } from "vitest";
import { formatUsd, formatUsdCompact } from "@/lib/format/usd";

describe("USD formatting", () => {
  it("amounts with cents and separators; a true minus sign; no −0.00", () => {
    expect(formatUsd(1234.5)).toBe("1,234.50");
    expect(formatUsd(-1234.5)).toBe("\u22121,234.50");
    expect(formatUsd(-0.001)).toBe("0.00");
    expect(formatUsd("250000.125")).toBe("250,000.13");
    expect(formatUsd(15041.2, 0)).toBe("15,041");
  });
  it("aggregates compact, three significant digits", () => {
    expect(formatUsdCompact(950)).toBe("950");
    expect(formatUsdCompact(12_345)).toBe("12.3 k");
    expect(formatUsdCompact(456_000)).toBe("456 k");
    expect(formatUsdCompact(1_234_567)).toBe("1.23 M");
    expect(formatUsdCompact(999_999)).toBe("1.00 M");
    expect(formatUsdCompact(-2_500_000_000)).toBe("\u22122.50 B");
    expect(formatUsdCompact("709416.58")).toBe("709 k");
  });
  it("nothing is a dash, never $0", () => {
    expect(formatUsd(null)).toBe("—");
    expect(formatUsdCompact(Number.NaN)).toBe("—");
  });
});
