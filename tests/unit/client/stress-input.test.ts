import { describe, expect, it } from "vitest";
import { readDepth, readShockPct, stressRequestOf } from "@/lib/client/stress-input";

/** The stress form's boxes (issue 15, item 19): typed text is read as typed, never capped or changed. */
describe("the stress form's boxes", () => {
  it("reads a negative shock as typed, with '-', '−' or decimals; a lone sign is not a number yet", () => {
    expect(readShockPct("BTC-PERP", "-15")).toEqual({ kind: "value", value: -15 });
    expect(readShockPct("BTC-PERP", "\u221215")).toEqual({ kind: "value", value: -15 });
    expect(readShockPct("BTC-PERP", "-7.5")).toEqual({ kind: "value", value: -7.5 });
    expect(readShockPct("BTC-PERP", ".5")).toEqual({ kind: "value", value: 0.5 });
    expect(readShockPct("BTC-PERP", "")).toEqual({ kind: "empty" });
    expect(readShockPct("BTC-PERP", "-")).toMatchObject({ kind: "error", message: expect.stringContaining("BTC-PERP shock") });
    expect(readShockPct("BTC-PERP", "1e3")).toMatchObject({ kind: "error" });
  });

  it("refuses a shock out of [−99%, +1000%] naming the market's box and the range, never capping it", () => {
    expect(readShockPct("BTC-PERP", "-80")).toEqual({ kind: "value", value: -80 });
    expect(readShockPct("BTC-PERP", "-99")).toEqual({ kind: "value", value: -99 });
    expect(readShockPct("BTC-PERP", "1000")).toEqual({ kind: "value", value: 1000 });
    expect(readShockPct("ETH-PERP", "-150")).toEqual({ kind: "error", message: "ETH-PERP shock must be from −99% to +1000% (got −150.0%); nothing was run" });
    expect(readShockPct("ETH-PERP", "1000.5")).toMatchObject({ kind: "error", message: expect.stringContaining("−99% to +1000%") });
  });

  it("a depth box is empty (the market's own) or a number of USD above 0", () => {
    expect(readDepth("SOL-PERP", "")).toEqual({ kind: "empty" });
    expect(readDepth("SOL-PERP", "250000")).toEqual({ kind: "value", value: 250000 });
    expect(readDepth("SOL-PERP", "0")).toMatchObject({ kind: "error", message: expect.stringContaining("SOL-PERP depth for 1%") });
    expect(readDepth("SOL-PERP", "-5")).toMatchObject({ kind: "error" });
    // The server's range (BOUNDS.market.depthPer1Pct, [1, 1e18]): the box refuses what the server would, and only that.
    expect(readDepth("SOL-PERP", "0.5")).toMatchObject({ kind: "error", message: expect.stringContaining("from 1 to 1000000000000000000") });
    expect(readDepth("SOL-PERP", "1e16")).toMatchObject({ kind: "error" }); // not a decimal as typed
    expect(readDepth("SOL-PERP", "10000000000000000")).toEqual({ kind: "value", value: 1e16 });
    expect(readDepth("SOL-PERP", "2000000000000000000")).toMatchObject({ kind: "error" });
  });

  it("the request: shocks as fractions (zero left out), depth overrides, or every box's error", () => {
    expect(stressRequestOf(["BTC-PERP", "ETH-PERP"], { "BTC-PERP": "-15", "ETH-PERP": "0" }, { "ETH-PERP": "500000" }))
      .toEqual({ ok: true, shocks: { "BTC-PERP": -0.15 }, depthPer1Pct: { "ETH-PERP": 500000 } });
    const bad = stressRequestOf(["BTC-PERP", "ETH-PERP"], { "BTC-PERP": "-150" }, { "ETH-PERP": "x" });
    expect(bad.ok).toBe(false);
    expect(bad.ok ? [] : bad.errors).toHaveLength(2);
  });
});
