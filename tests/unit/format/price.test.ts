import { describe, expect, it } from "vitest";
import { formatPrice, stepDecimals } from "@/lib/format/price";
import { roundToTick } from "@/lib/sim/price-path";

describe("price formatting", () => {
  it("uses the tick size's decimals", () => {
    expect(stepDecimals(0.1)).toBe(1);
    expect(stepDecimals(0.00001)).toBe(5);
    expect(stepDecimals(1e-7)).toBe(7);
    expect(stepDecimals(10)).toBe(0);
    expect(formatPrice(60165.66, 0.1)).toBe("60,165.7");
    expect(formatPrice(0.15, 0.00001)).toBe("0.15000");
  });
  it("shows a dash, never $0, where there is no price", () => {
    expect(formatPrice(null, 0.1)).toBe("—");
    expect(formatPrice(Number.NaN, 0.1)).toBe("—");
  });
  it("rounds simulated prices to whole ticks without float tails", () => {
    expect(roundToTick(60000.04999, 0.1)).toBe(60000);
    expect(roundToTick(0.30000000000000004, 0.1)).toBe(0.3);
    expect(roundToTick(0.123456, 0.0001)).toBe(0.1235);
  });
});
