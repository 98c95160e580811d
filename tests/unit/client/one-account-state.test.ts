import { describe, expect, it } from "vitest";
import { newerLiveView, newestAccountView } from "@/lib/client/newest-account-view";
import { previewAgrees } from "@/lib/client/use-top-up-preview";
import type { AccountDetail } from "@/lib/contracts/desk";
import type { AccountView } from "@/lib/contracts/book-views";
import type { TopUpPreview } from "@/lib/contracts/topup";

function view(over: Partial<AccountView>): AccountView {
  return {
    accountId: "a1", collateral: 1000, equity: 900, maintenanceMargin: 950, initialMargin: 1900, marginRatio: 950 / 900, health: null,
    status: "liquidatable", notional: 60000, positions: [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60100, markPrice: 60000, stale: false,
      notional: 60000, unrealizedPnl: -100, maintenanceMargin: 950, initialMargin: 1900, tier: 2, liquidationPrice: 60050 }],
    liquidation: { mode: "partial", closes: [], nextStep: null } as unknown as AccountView["liquidation"],
    topUp: { toMaintenance: 50, toHealthy: 287.5 }, queue: null, unpricedMarkets: [], ...over,
  };
}

const detail = (v: AccountView, serverTime: number, ledger: AccountDetail["ledger"] = []): AccountDetail =>
  ({ view: v, serverTime, ledger, history: [], events: [], riskParams: {} as AccountDetail["riskParams"] });

describe("one account page, one state", () => {
  it("a poll answered after a newer socket push keeps its ledger but not its older view; an older push is dropped", () => {
    const pushed = { view: view({ status: "healthy", positions: [], collateral: 12 }), serverTime: 2000 };
    const polled = detail(view({}), 1500, [{ id: "9", kind: "liquidation_fee", amount: "-4", balanceAfter: "12", note: null, createdAt: 1400 }]);
    const merged = newestAccountView(polled, pushed);
    expect(merged.view).toBe(pushed.view);
    expect(merged.serverTime).toBe(2000);
    expect(merged.ledger).toBe(polled.ledger);
    const newer = detail(view({ collateral: 13 }), 2500);
    expect(newestAccountView(newer, pushed)).toBe(newer);
    expect(newestAccountView(polled, undefined)).toBe(polled);
    const older = { view: view({}), serverTime: 1000 };
    expect(newerLiveView(pushed, older)).toBe(pushed);
    expect(newerLiveView(older, pushed)).toBe(pushed);
    expect(newerLiveView(undefined, older)).toBe(older);
  });

  it("a preview agrees with the live view only when computed from the same collateral, positions and status", () => {
    const live = view({});
    const preview = (basis: TopUpPreview["basis"]) => ({ basis }) as TopUpPreview;
    const same = { collateral: 1000, status: "liquidatable" as const, positions: [{ marketId: "BTC-PERP", qty: 1 }] };
    expect(previewAgrees(live, preview(same))).toBe(true);
    // A liquidation step closed part of the position; a top-up moved collateral; the price crossed a line; the last position closed.
    expect(previewAgrees(live, preview({ ...same, positions: [{ marketId: "BTC-PERP", qty: 0.75 }] }))).toBe(false);
    expect(previewAgrees(live, preview({ ...same, collateral: 1004.02 }))).toBe(false);
    expect(previewAgrees(live, preview({ ...same, status: "bankrupt" }))).toBe(false);
    expect(previewAgrees(view({ positions: [], status: "healthy" }), preview(same))).toBe(false);
  });
});
