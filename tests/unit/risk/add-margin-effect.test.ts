import { describe, expect, it } from "vitest";
import { addMarginEffect, buildMarketBook, resolveRiskParams, topUpEffect, type AccountInput } from "@/lib/risk";
import { BTC, ETH } from "./helpers/markets";

/** Spec §11 "add margin": collateral moves from the cross balance into an isolated position; top-up-to-safe on that unit. */
const markets = buildMarketBook([BTC, ETH]);
const marks = new Map([["BTC-PERP", 60000], ["ETH-PERP", 3000]]);
const params = resolveRiskParams(undefined);
// The §10 example's BTC position held isolated with 700 (equity 60, MM 192: backstop); cross healthy.
const account: AccountInput = {
  id: "a",
  collateral: 5000,
  positions: [
    { marketId: "BTC-PERP", qty: 0.8, entryPrice: 60800, marginMode: "isolated", isolatedMargin: 700 },
    { marketId: "ETH-PERP", qty: -2, entryPrice: 3000 },
  ],
};

describe("addMarginEffect (spec §11)", () => {
  it("moves the amount from the cross collateral into the unit: its liquidation price moves away from the mark", () => {
    const e = addMarginEffect(account, "BTC-PERP", 300, markets, marks, params);
    expect(e.before).toMatchObject({ collateral: 5000, isolatedMargin: 700, equity: 60, maintenanceMargin: 192, status: "backstop", inQueue: true });
    expect(e.after).toMatchObject({ collateral: 4700, isolatedMargin: 1000, equity: 360, maintenanceMargin: 192, status: "healthy", inQueue: false });
    expect(e.after.crossEquity).toBe(e.before.crossEquity - 300);
    // Long: (C' + cum − Q·entry) / (Q·mmr − Q) with C' = 700, then 1,000.
    expect(e.before.liquidationPrice).toBeCloseTo((700 - 0.8 * 60800) / (0.8 * 0.004 - 0.8), 9);
    expect(e.after.liquidationPrice).toBeCloseTo((1000 - 0.8 * 60800) / (0.8 * 0.004 - 0.8), 9);
    expect(e.after.liquidationPrice!).toBeLessThan(e.before.liquidationPrice!);
  });

  it("top-up-to-safe on the unit: the least whole cents past the lines (192 − 60 to leave the queue, 192/0.8 − 60 to be healthy)", () => {
    const { presets } = addMarginEffect(account, "BTC-PERP", 0, markets, marks, params);
    expect(presets.leaveQueue).toBe(132.01);
    expect(presets.healthy).toBe(180.01);
    const past = addMarginEffect(account, "BTC-PERP", presets.leaveQueue!, markets, marks, params).after;
    expect(past.inQueue).toBe(false);
    const atLine = addMarginEffect(account, "BTC-PERP", 132, markets, marks, params).after;
    expect(atLine.inQueue).toBe(true); // equity = MM exactly: still liquidatable (spec §3)
  });

  it("a cross top-up does not touch the isolated unit; its presets are the cross part's", () => {
    const t = topUpEffect(account, 1000, markets, marks, params);
    expect(t.before.status).toBe("healthy"); // the cross part's status, not the account's (backstop)
    expect(t.before.inQueue).toBe(false);
    expect(t.after.positions[0]!.liquidationPrice).toBe(t.before.positions[0]!.liquidationPrice);
    expect(t.presets.leaveQueue).toBeNull();
  });

  it("names a market without an isolated position", () => {
    expect(() => addMarginEffect(account, "ETH-PERP", 10, markets, marks, params)).toThrow(/no open isolated position in ETH-PERP/);
  });
});
