import { describe, expect, it } from "vitest";
import { buildMarketBook, DEFAULT_RISK_PARAMS, liquidationTrigger, topUpEffect } from "@/lib/risk";
import { BTC } from "./helpers/markets";

const book = buildMarketBook([BTC]);
/** The spec's "large-long": 12 BTC from 61,200 with 20,000 collateral; liquidation price 60,025.25. */
const account = { id: "large-long", collateral: 20000, positions: [{ marketId: "BTC-PERP", qty: 12, entryPrice: 61200 }] };

describe("top-up effect and liquidation trigger", () => {
  it("at 60,000 the account is in the queue; the 'leave the queue' preset is the least cent that takes it out", () => {
    const marks = new Map([["BTC-PERP", 60000]]);
    const e = topUpEffect(account, 0, book, marks, DEFAULT_RISK_PARAMS);
    expect(e.before.inQueue).toBe(true);
    const leave = e.presets.leaveQueue!;
    expect(topUpEffect(account, leave, book, marks, DEFAULT_RISK_PARAMS).after.inQueue).toBe(false);
    expect(topUpEffect(account, leave - 0.01, book, marks, DEFAULT_RISK_PARAMS).after.inQueue).toBe(true);
    const healthy = e.presets.healthy!;
    expect(topUpEffect(account, healthy, book, marks, DEFAULT_RISK_PARAMS).after.status).toBe("healthy");
    expect(topUpEffect(account, healthy - 0.01, book, marks, DEFAULT_RISK_PARAMS).after.status).not.toBe("healthy");
    expect(liquidationTrigger(account, book, marks, DEFAULT_RISK_PARAMS)).toBeNull();
  });

  it("above maintenance: the trigger is the liquidation price on the tick grid and the plan the engine applies there", () => {
    const marks = new Map([["BTC-PERP", 62000]]);
    const e = topUpEffect(account, 0, book, marks, DEFAULT_RISK_PARAMS);
    expect(e.before.inQueue).toBe(false);
    expect(e.presets.leaveQueue).toBeNull();
    const t = liquidationTrigger(account, book, marks, DEFAULT_RISK_PARAMS)!;
    expect(t.marketId).toBe("BTC-PERP");
    expect(t.markPrice).toBe(60025.2);
    expect(t.plan.mode).toBe("partial");
    expect(t.plan.nextStep!.side).toBe("sell");
    expect(t.plan.nextStep!.qty).toBeGreaterThan(0);
    expect(t.plan.nextStep!.qty).toBeLessThanOrEqual(12);
    expect(t.cooldownMs).toBe(DEFAULT_RISK_PARAMS.cooldownMs);
  });
});
