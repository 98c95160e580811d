import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ratioText, usdText } from "@/lib/engine/alerts/alert-text";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsd } from "@/lib/format/usd";

describe("alert texts: the engine's quick formatting writes what lib/format writes", () => {
  it("margin ratios (rounded up to 0.1%, ∞ for none)", () => {
    for (const r of [0, 0.9, 0.912, 0.8999999, 0.9000001, 1, 1.19250001, 9.9995, 9.99951, 10, 123.456, Infinity]) expect(ratioText(r), String(r)).toBe(formatMarginRatio(Number.isFinite(r) ? r : null));
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 0, max: 20, noNaN: true }), fc.double({ min: 0, max: 1e6, noNaN: true }), fc.integer({ min: 0, max: 200_000 }).map((n) => n / 10_000)), (r) => {
        expect(ratioText(r)).toBe(formatMarginRatio(r));
      }),
      { numRuns: 20_000 },
    );
  });

  it("USD amounts (cents, thousands separators, the minus sign; below a cent as formatUsd shows it)", () => {
    for (const x of [0, -0, 0.005, 0.004, -0.004, 0.01, 0.015, 1.005, 2.675, -12.5, 999.995, 1000, 1234567.125, -1e14, 1e15, 1e21, 1e-7]) expect(usdText(x), String(x)).toBe(formatUsd(x));
    fc.assert(
      fc.property(
        fc.oneof(fc.double({ min: -1e16, max: 1e16, noNaN: true, noDefaultInfinity: true }), fc.double({ min: -10, max: 10, noNaN: true }), fc.integer({ min: -10_000_000, max: 10_000_000 }).map((n) => n / 1000)),
        (x) => {
          expect(usdText(x)).toBe(formatUsd(x));
        },
      ),
      { numRuns: 20_000 },
    );
  });
});
