import { describe, expect, it } from "vitest";
import { queueEntryKey } from "@/lib/contracts/book-views";
import { accountRow, accountView, atRisk, bookSnapshot, bookSummary, scenarioOfSnapshot, searchAccountIds, type LiveBook } from "@/lib/engine";
import { compileMarket, evaluateScenario, figuresOfResolved, resolveRiskParams } from "@/lib/risk";
import { closeTo, pricedBook } from "./helpers/book";
import { BTC, ETH } from "./helpers/markets";

const NOW = 1_700_000_000_000;
const params = resolveRiskParams({});

/**
 * Spec §11 in the live book: an isolated position is a unit of its own (collateral = its
 * isolatedMargin), the account's own figures are its cross part's, its status the worst of its
 * units, and the queue holds one entry per liquidatable unit with its own cool-down.
 */
describe("isolated positions in the live book", () => {
  /** Account "a": 10,000 USD cross with a cross ETH short, and an isolated BTC long of 0.5 with 150 USD of margin. */
  function book(): LiveBook {
    const b = pricedBook();
    b.setCollateral("a", 10000);
    b.applyPositions([
      { accountId: "a", marketId: "ETH-PERP", qty: -2, entryPrice: 3000 },
      { accountId: "a", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, isolatedMargin: 150 },
    ]);
    b.drainChanges();
    return b;
  }
  const btcAt = (mark: number, margin = 150) =>
    figuresOfResolved(margin, [{ market: compileMarket(BTC), qty: 0.5, entryPrice: 60000, markPrice: mark }], params);

  it("values the isolated position on its own margin and the account's figures on its cross positions only", () => {
    const b = book();
    const view = accountView(b, "a", NOW)!;
    const cross = figuresOfResolved(10000, [{ market: compileMarket(ETH), qty: -2, entryPrice: 3000, markPrice: 3000 }], params);
    expect(view.collateral).toBe(10000);
    expect(view.equity).toBeCloseTo(cross.equity, 9);
    expect(view.maintenanceMargin).toBeCloseTo(cross.maintenanceMargin, 9);
    expect(view.positions.map((p) => [p.marketId, p.isolated?.isolatedMargin ?? "cross"])).toEqual([["BTC-PERP", 150], ["ETH-PERP", "cross"]]);
    const btc = view.positions[0]!;
    const own = btcAt(60000);
    // 30,000 notional at mmr 0.004: MM 120 against equity 150, a ratio of 0.8 (warning).
    expect(btc.isolated).toMatchObject({ equity: 150, maintenanceMargin: 120, status: "warning", queue: null });
    expect(btc.isolated!.marginRatio).toBeCloseTo(0.8, 12);
    // Spec §4 with C' = 150, M' = 0: (150 − 0.5·60000) / (0.5·0.004 − 0.5) = 59939.759…
    expect(closeTo(btc.liquidationPrice!, (150 - 30000) / (0.5 * 0.004 - 0.5), 60000)).toBe(true);
    expect(btc.liquidationPrice).toBe(own.positions[0]!.liquidationPrice);
    expect(view.status).toBe("warning"); // the worst of healthy (cross) and warning (isolated)
    expect(view.positions[1]!.isolated).toBeUndefined();
    expect(accountRow(b, "a")!.positions).toBe(2);
    expect(bookSummary(b)).toMatchObject({ accounts: 1, accountsWithPositions: 1, positions: 2 });
  });

  it("an isolated position's figures do not move when the cross collateral does", () => {
    const b = book();
    const before = accountView(b, "a", NOW)!.positions[0]!;
    for (const collateral of [0, -5000, 1e9, 0.01]) {
      b.setCollateral("a", collateral);
      const after = accountView(b, "a", NOW)!.positions[0]!;
      expect(after.isolated!.equity).toBe(before.isolated!.equity);
      expect(after.liquidationPrice).toBe(before.liquidationPrice);
      expect(after.isolated!.status).toBe("warning");
    }
  });

  it("queues the isolated position alone when it falls below maintenance, the cross part staying healthy", () => {
    const b = book();
    b.setMark("BTC-PERP", 59900); // equity 150 − 50 = 100 <= MM 119.8
    expect(b.queue.length).toBe(1);
    const [entry] = b.queue.page(NOW).items;
    expect(entry).toMatchObject({ accountId: "a", isolatedMarketId: "BTC-PERP", status: "liquidatable" });
    expect(entry!.equity).toBeCloseTo(btcAt(59900).equity, 9);
    expect(entry!.nextStep?.marketId).toBe("BTC-PERP");
    const view = accountView(b, "a", NOW)!;
    expect(view.status).toBe("liquidatable");
    expect(view.queue).toBeNull(); // the cross part is not queued
    expect(view.positions[0]!.isolated!.queue).toMatchObject({ isolatedMarketId: "BTC-PERP" });
    expect(bookSummary(b).byStatus).toMatchObject({ liquidatable: 1, healthy: 0, warning: 0 });
    expect(atRisk(b, {}).items.map((r) => [r.accountId, r.status])).toEqual([["a", "liquidatable"]]);
    expect(atRisk(b, { market: "BTC-PERP" }).items.map((r) => r.accountId)).toEqual(["a"]);
    // The change set names the account, never the unit.
    const changes = b.drainChanges();
    expect(changes.ids?.accounts).toEqual(["a"]);
    expect(changes.queueAdded).toBe(1);
  });

  it("cool-downs are per unit: a step of the isolated position does not hold back the cross part", () => {
    const b = book();
    b.setMark("BTC-PERP", 59900);
    b.setCollateral("a", 50); // the cross ETH short (MM 30) now has equity 50: warning; lower it further
    b.setMark("ETH-PERP", 3015); // cross equity 50 − 30 = 20 <= MM 30.15: liquidatable
    const keys = b.queue.page(NOW).items.map(queueEntryKey).sort();
    expect(keys).toEqual(["a", queueEntryKey({ accountId: "a", isolatedMarketId: "BTC-PERP" })]);
    b.markStepExecuted(queueEntryKey({ accountId: "a", isolatedMarketId: "BTC-PERP" }), NOW);
    const byKey = new Map(b.queue.page(NOW + 1000).items.map((e) => [queueEntryKey(e), e]));
    const isolated = byKey.get(queueEntryKey({ accountId: "a", isolatedMarketId: "BTC-PERP" }))!;
    const cross = byKey.get("a")!;
    expect(isolated.lastStepAt).toBe(NOW);
    expect(cross.lastStepAt).toBeNull();
    if (isolated.mode === "partial") expect(isolated.cooldownRemainingMs).toBe(params.cooldownMs - 1000);
    expect(cross.cooldownRemainingMs).toBe(0);
    expect(b.queue.dueSteps(NOW + 1000).map(queueEntryKey)).toContain("a");
  });

  it("margin added to the isolated position takes it out of the queue at once", () => {
    const b = book();
    b.setMark("BTC-PERP", 59900);
    expect(b.queue.length).toBe(1);
    b.applyPositions([{ accountId: "a", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000, isolatedMargin: 400 }]);
    expect(b.queue.length).toBe(0);
    const btc = accountView(b, "a", NOW)!.positions[0]!;
    expect(btc.isolated!.equity).toBeCloseTo(350, 9);
    // Further from the mark: (400 − 30000) / (0.002 − 0.5).
    expect(closeTo(btc.liquidationPrice!, (400 - 30000) / (0.5 * 0.004 - 0.5), 60000)).toBe(true);
    expect(accountView(b, "a", NOW)!.status).toBe("healthy");
  });

  it("a position that changes mode moves between the cross part and its unit", () => {
    const b = book();
    b.applyPositions([{ accountId: "a", marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000 }]);
    let view = accountView(b, "a", NOW)!;
    expect(view.positions.map((p) => [p.marketId, p.isolated === undefined])).toEqual([["BTC-PERP", true], ["ETH-PERP", true]]);
    expect(view.maintenanceMargin).toBeCloseTo(120 + 30, 9);
    expect(b.positionCount).toBe(2);
    b.applyPositions([{ accountId: "a", marketId: "ETH-PERP", qty: -2, entryPrice: 3000, isolatedMargin: 100 }]);
    view = accountView(b, "a", NOW)!;
    expect(view.positions.map((p) => [p.marketId, p.isolated?.isolatedMargin ?? "cross"])).toEqual([["BTC-PERP", "cross"], ["ETH-PERP", 100]]);
    expect(view.maintenanceMargin).toBeCloseTo(120, 9);
    expect(b.positionCount).toBe(2);
    // Closing the isolated position leaves the account with its cross one only.
    b.applyPositions([{ accountId: "a", marketId: "ETH-PERP", qty: 0, entryPrice: 0, isolatedMargin: 0 }]);
    expect(accountView(b, "a", NOW)!.positions.map((p) => p.marketId)).toEqual(["BTC-PERP"]);
    expect(accountRow(b, "a")!.positions).toBe(1);
    b.applyPositions([{ accountId: "a", marketId: "BTC-PERP", qty: 0, entryPrice: 0 }]);
    expect(bookSummary(b)).toMatchObject({ accounts: 1, accountsWithPositions: 0, positions: 0 });
  });

  it("a bankrupt isolated position is planned in full on its own margin; the cross part is untouched", () => {
    const b = book();
    b.setMark("BTC-PERP", 59000); // equity 150 − 500 < 0
    const [entry] = b.queue.page(NOW).items;
    expect(entry).toMatchObject({ accountId: "a", isolatedMarketId: "BTC-PERP", status: "bankrupt", mode: "full" });
    expect(entry!.plan.closes.map((c) => [c.marketId, c.qty])).toEqual([["BTC-PERP", 0.5]]);
    expect(entry!.plan.deficit).toBeGreaterThan(350);
    expect(accountView(b, "a", NOW)!).toMatchObject({ status: "bankrupt", collateral: 10000, queue: null });
    expect(accountRow(b, "a")!.marginRatio).toBeLessThan(0.01);
  });

  it("the snapshot (stress, liquidation map) holds the account once, its isolated position with its margin; the model agrees with the engine", () => {
    const b = book();
    b.setMark("BTC-PERP", 59900);
    for (const snapshot of [bookSnapshot(b), bookSnapshot(b, { market: "BTC-PERP" })]) {
      expect(snapshot.accountIds).toEqual(["a"]);
      const scenario = scenarioOfSnapshot(snapshot);
      expect(scenario.accounts[0]!.positions.map((p) => [p.marketId, p.marginMode ?? "cross", p.isolatedMargin ?? null]).sort())
        .toEqual([["BTC-PERP", "isolated", 150], ["ETH-PERP", "cross", null]]);
      const [evaluated] = evaluateScenario(scenario).accounts;
      const view = accountView(b, "a", NOW)!;
      expect(evaluated!.status).toBe(view.status);
      expect(evaluated!.equity).toBeCloseTo(view.equity!, 9);
    }
    expect(searchAccountIds(b, "a", 10).hits.map((h) => h.row.accountId)).toEqual(["a"]); // never a unit
  });
});
