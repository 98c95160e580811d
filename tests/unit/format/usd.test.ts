import { describe, expect, it } from "vitest";
import { formatUsd, formatUsdCompact, formatUsdExact } from "@/lib/format/usd";

describe("USD formatting", () => {
  it("amounts with cents and separators; a true minus sign; no −0.00", () => {
    expect(formatUsd(1234.5)).toBe("1,234.50");
    expect(formatUsd(-1234.5)).toBe("\u22121,234.50");
    expect(formatUsd(-0.0000001)).toBe("0.00"); // below a micro-dollar: noise
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
  it("a non-zero amount never reads as 0: shown to two significant digits, down to the micro-dollar", () => {
    expect(formatUsd(0.000001)).toBe("0.000001");
    expect(formatUsd("0.000001")).toBe("0.000001");
    expect(formatUsd(-0.001)).toBe("\u22120.001");
    expect(formatUsd(0.0042)).toBe("0.0042");
    expect(formatUsd(0.004)).toBe("0.004");
    expect(formatUsd(0.4, 0)).toBe("0.4");
    expect(formatUsd(0)).toBe("0.00");
  });
  it("exact amounts (ledger, audit, top-ups): every decimal kept, at least the cents, never rounded", () => {
    expect(formatUsdExact("0.000001")).toBe("0.000001");
    expect(formatUsdExact("1250.5")).toBe("1,250.50");
    expect(formatUsdExact("1000000")).toBe("1,000,000.00");
    expect(formatUsdExact("-4.020000000000000001")).toBe("\u22124.020000000000000001");
    expect(formatUsdExact("99999999999999999999.123456")).toBe("99,999,999,999,999,999,999.123456");
    expect(formatUsdExact("-0")).toBe("0.00");
    expect(formatUsdExact(1e-7)).toBe("0.0000001");
    expect(formatUsdExact(12.5)).toBe("12.50");
    expect(formatUsdExact(null)).toBe("—");
    expect(formatUsdExact("abc")).toBe("—");
  });
});
