import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  accountRow, accountView, CHANGE_SET_MAX_IDS, atRisk, bookSnapshot, bookSummary, LiveBook, marginRows, ratioHistogram, scenarioOfSnapshot,
} from "@/lib/engine";
import { evaluateScenario, RiskInputError, type RiskScenario } from "@/lib/risk";
import { closeTo, pricedBook } from "./helpers/book";
import { BTC, ETH, SOL } from "./helpers/markets";

const examplesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../docs/spec/examples");
const NOW = 1_700_000_000_000;

function loadScenario(book: LiveBook, scenario: RiskScenario): void {
  for (const m of scenario.markets) book.upsertMarket(m);
  book.applyPrices(Object.entries(scenario.prices).map(([marketId, price]) => ({ marketId, price })));
  for (const a of scenario.accounts) {
    book.setCollateral(a.id, a.collateral);
    book.applyPositions(a.positions.map((p) => ({ accountId: a.id, ...p })));
  }
}

describe("live book", () => {
  it("the spec's cross-margin example loaded into the live book gives the evaluate contract's figures, liquidation prices and plans", () => {
    const scenario = JSON.parse(readFileSync(path.join(examplesDir, "cross-margin.scenario.json"), "utf8")) as RiskScenario;
    const book = new LiveBook({ params: scenario.params });
    loadScenario(book, scenario);
    const expected = evaluateScenario(scenario).accounts;
    for (const want of expected) {
      const view = accountView(book, want.id, NOW)!;
      expect(view.status).toBe(want.status);
      for (const key of ["equity", "maintenanceMargin", "initialMargin"] as const) expect(closeTo(view[key]!, want[key], Math.abs(want[key]))).toBe(true);
      const byMarket = new Map(view.positions.map((p) => [p.marketId, p]));
      for (const p of want.positions) {
        const got = byMarket.get(p.marketId)!;
        expect(got.tier).toBe(p.tier);
        expect(got.notional).toBeCloseTo(p.notional, 6);
        if (p.liquidationPrice === null) expect(got.liquidationPrice).toBeNull();
        else expect(closeTo(got.liquidationPrice!, p.liquidationPrice, p.liquidationPrice)).toBe(true);
      }
      expect(view.liquidation!.mode).toBe(want.liquidation.mode);
      expect(view.liquidation!.closes.map((c) => [c.marketId, c.side, c.qty])).toEqual(want.liquidation.closes.map((c) => [c.marketId, c.side, c.qty]));
      expect(view.liquidation!.nextStep?.qty ?? null).toBe(want.liquidation.nextStep?.qty ?? null);
      expect(view.queue !== null).toBe(want.status === "liquidatable" || want.status === "backstop" || want.status === "bankrupt");
    }
  });

  it("a tick on a market touches only the accounts holding that market", () => {
    const book = pricedBook();
    for (let i = 0; i < 10; i++) book.setPosition(`btc-${i}`, "BTC-PERP", 0.5, 60000);
    for (let i = 0; i < 5; i++) book.setPosition(`eth-${i}`, "ETH-PERP", -3, 3000);
    for (let i = 0; i < 3; i++) {
      book.setPosition(`both-${i}`, "BTC-PERP", 0.1, 59000);
      book.setPosition(`both-${i}`, "SOL-PERP", 10, 150);
    }
    for (const id of ["btc-0", "eth-0", "both-0"]) book.setCollateral(id, 10_000);
    book.drainChanges();

    expect(book.setMark("ETH-PERP", 3010)).toBe(5);
    expect(book.drainChanges().ids!.accounts.sort()).toEqual(["eth-0", "eth-1", "eth-2", "eth-3", "eth-4"]);
    expect(book.setMark("BTC-PERP", 59500)).toBe(13);
    expect(book.drainChanges().accounts).toBe(13);
    expect(book.setMark("SOL-PERP", 151)).toBe(3);
    expect(book.drainChanges().ids!.accounts.sort()).toEqual(["both-0", "both-1", "both-2"]);
  });

  it("a tick at the price already held touches nothing and reports no change", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 1, 60000);
    book.drainChanges();
    expect(book.setMark("BTC-PERP", 60000)).toBe(0);
    const changes = book.drainChanges();
    expect(changes.accounts).toBe(0);
    expect(changes.ids!.accounts).toEqual([]);
    expect(changes.summaryChanged).toBe(false);
  });

  it("only the last mark of a market in a batch is applied", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 1, 60000);
    book.setCollateral("a", 5000);
    const touched = book.applyPrices([
      { marketId: "BTC-PERP", price: 50000 },
      { marketId: "ETH-PERP", price: 3100 },
      { marketId: "BTC-PERP", price: 61000 },
    ]);
    expect(touched).toBe(1);
    expect(book.markOf("BTC-PERP")).toBe(61000);
    expect(accountRow(book, "a")!.equity).toBe(6000);
  });

  it("closing an account's last position brings its sums back to exactly zero", () => {
    const book = pricedBook();
    book.setCollateral("a", 1234.5);
    book.setPosition("a", "BTC-PERP", 0.37, 61234.5);
    book.setPosition("a", "ETH-PERP", -2.11, 2987.1);
    for (let i = 0; i < 50; i++) book.setMark("BTC-PERP", 60000 + 7.3 * i);
    book.setPosition("a", "BTC-PERP", 0, 0);
    book.setPosition("a", "ETH-PERP", 0, 0);
    expect(accountRow(book, "a")).toMatchObject({ equity: 1234.5, maintenanceMargin: 0, initialMargin: 0, notional: 0, positions: 0, status: "healthy", marginRatio: 0, health: null });
    expect(book.positionCount).toBe(0);
    expect(book.holdersOf("BTC-PERP")).toBe(0);
  });

  it("status follows spec §3 with the configured warnRatio and backstopFraction", () => {
    const book = pricedBook({ params: { warnRatio: 0.5, backstopFraction: 0.5 } });
    // 1 BTC long at the mark: notional 60000, MM = 60000 * 0.005 - 50 = 250.
    book.setPosition("a", "BTC-PERP", 1, 60000);
    const statusAt = (collateral: number) => {
      book.setCollateral("a", collateral);
      return accountRow(book, "a")!.status;
    };
    expect(accountRow(book, "a")!.maintenanceMargin).toBeCloseTo(250, 9);
    expect(statusAt(1000)).toBe("healthy");
    expect(statusAt(500)).toBe("warning"); // ratio 0.5 >= warnRatio
    expect(statusAt(250)).toBe("liquidatable"); // equity == MM
    expect(statusAt(125)).toBe("liquidatable"); // not below 0.5 * MM
    expect(statusAt(124.99)).toBe("backstop");
    expect(statusAt(0)).toBe("bankrupt");
  });

  it("an account with no position is healthy, a fresh account is created on first mention", () => {
    const book = pricedBook();
    book.setPosition("new", "ETH-PERP", 0, 0);
    expect(book.hasAccount("new")).toBe(true);
    book.addCollateral("other", -5);
    expect(accountRow(book, "other")).toMatchObject({ status: "healthy", equity: -5, marginRatio: 0 });
  });

  it("a market without a price is stale and its holders' figures are unknown, never valued at the entry price, until one arrives (spec §7)", () => {
    const book = new LiveBook();
    book.upsertMarket(BTC);
    book.upsertMarket(ETH);
    book.setMark("ETH-PERP", 3000);
    book.setPosition("a", "BTC-PERP", 1, 60000);
    book.setPosition("a", "ETH-PERP", 10, 3100); // a priced leg losing 1,000
    book.setCollateral("a", 1000);
    book.setCollateral("b", 50);
    book.setPosition("b", "ETH-PERP", 10, 3000);
    expect(book.isStale("BTC-PERP")).toBe(true);
    expect(accountRow(book, "a")).toEqual({
      accountId: "a", status: "unknown", collateral: 1000, equity: null, maintenanceMargin: null, initialMargin: null,
      marginRatio: null, health: null, notional: null, positions: 2, unpricedMarkets: ["BTC-PERP"],
    });
    const view = accountView(book, "a", NOW)!;
    expect(view).toMatchObject({ status: "unknown", equity: null, maintenanceMargin: null, liquidation: null, topUp: null, queue: null, unpricedMarkets: ["BTC-PERP"] });
    expect(view.positions.find((p) => p.marketId === "BTC-PERP")).toMatchObject({ markPrice: null, notional: null, unrealizedPnl: null, maintenanceMargin: null, tier: null, liquidationPrice: null, stale: true });
    // The priced leg's own figures are known; its liquidation price needs the account's equity: unknown.
    expect(view.positions.find((p) => p.marketId === "ETH-PERP")).toMatchObject({ markPrice: 3000, notional: 30000, unrealizedPnl: -1000, liquidationPrice: null });
    // Not queued and not liquidated while unknown, though its known legs alone would put it below maintenance.
    expect(book.queue.length).toBe(1);
    expect(book.queue.dueSteps(NOW).map((e) => e.accountId)).toEqual(["b"]);
    expect(bookSummary(book).byStatus.unknown).toBe(1);
    expect(bookSummary(book).staleMarkets).toEqual(["BTC-PERP"]);
    expect(ratioHistogram(book)).toMatchObject({ unknown: 1 });
    expect(marginRows(book).accountIds).toEqual(["b"]);

    book.setMark("BTC-PERP", 59000);
    expect(book.isStale("BTC-PERP")).toBe(false);
    expect(accountRow(book, "a")).toMatchObject({ status: "bankrupt", equity: -1000, notional: 89000, unpricedMarkets: [] });
    expect(bookSummary(book).staleMarkets).toEqual([]);
    expect(bookSummary(book).byStatus.unknown).toBe(0);
    expect(book.queue.length).toBe(2);
    // Closing the position in a market never priced makes the account's figures known again.
    book.upsertMarket(SOL);
    book.setPosition("b", "SOL-PERP", 1, 150);
    expect(accountRow(book, "b")).toMatchObject({ status: "unknown", unpricedMarkets: ["SOL-PERP"] });
    expect(book.queue.length).toBe(1);
    book.setPosition("b", "SOL-PERP", 0, 0);
    expect(accountRow(book, "b")).toMatchObject({ status: book.queue.page(NOW).items.find((e) => e.accountId === "b")!.status, equity: 50, unpricedMarkets: [] });
  });

  it("changing a market's tiers revalues the positions in it", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 1, 60000);
    const flat = { ...BTC, tiers: [{ maxNotional: null, mmr: 0.01, maxLeverage: 50 }] };
    book.upsertMarket(flat);
    expect(accountRow(book, "a")!.maintenanceMargin).toBeCloseTo(600, 9);
  });

  it("a batch with one bad row is rejected whole, naming the field, and changes nothing", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 1, 60000);
    book.drainChanges();
    const bad = () =>
      book.applyPositions([
        { accountId: "a", marketId: "BTC-PERP", qty: 2, entryPrice: 60000 },
        { accountId: "b", marketId: "DOGE-PERP", qty: 1, entryPrice: 1 },
        { accountId: "c", marketId: "ETH-PERP", qty: 0.001, entryPrice: 3000 },
      ]);
    expect(bad).toThrow(RiskInputError);
    expect(bad).toThrow(/updates\[1\]\.marketId: unknown market DOGE-PERP/);
    expect(bad).toThrow(/updates\[2\]\.qty: 0.001 is not a whole number of lots/);
    expect(accountRow(book, "a")!.notional).toBe(60000);
    expect(book.hasAccount("b")).toBe(false);
    expect(() => book.applyPrices([{ marketId: "BTC-PERP", price: 1 }, { marketId: "ETH-PERP", price: -1 }])).toThrow(/ticks\[1\]\.price/);
    expect(book.markOf("BTC-PERP")).toBe(60000);
    expect(book.drainChanges().accounts).toBe(0);
  });

  it("atRisk filters by status, market and least margin ratio, sorts by margin ratio and pages", () => {
    const book = pricedBook();
    // MM of 1 BTC at 60000 is 250; health = collateral / 250 for a position at its entry.
    const collaterals: Record<string, number> = { h1: 2500, h2: 1000, w1: 300, l1: 250, l2: 200, b1: 100, x1: -50 };
    for (const [id, c] of Object.entries(collaterals)) {
      book.setPosition(id, "BTC-PERP", 1, 60000);
      book.setCollateral(id, c);
    }
    book.setPosition("eth", "ETH-PERP", -1, 3000); // MM 15: ratio 0.5
    book.setCollateral("eth", 30);
    book.setCollateral("flat", 100);

    const all = atRisk(book, { limit: 100 });
    expect(all.total).toBe(9);
    expect(all.items.map((r) => r.accountId)).toEqual(["x1", "b1", "l2", "l1", "w1", "eth", "h2", "h1", "flat"]);
    expect(atRisk(book, { sort: "marginRatio:asc", limit: 3 }).items.map((r) => r.accountId)).toEqual(["flat", "h1", "h2"]);
    expect(atRisk(book, { status: ["liquidatable", "backstop"] }).items.map((r) => r.accountId)).toEqual(["b1", "l2", "l1"]);
    expect(atRisk(book, { market: "ETH-PERP" }).items.map((r) => r.accountId)).toEqual(["eth"]);
    expect(atRisk(book, { minRatio: 1 }).items.map((r) => r.accountId)).toEqual(["x1", "b1", "l2", "l1"]);
    const page = atRisk(book, { offset: 2, limit: 2 });
    expect(page).toMatchObject({ total: 9, offset: 2, limit: 2 });
    expect(page.items.map((r) => r.accountId)).toEqual(["l2", "l1"]);
    expect(all.items[0]).toMatchObject({ status: "bankrupt", marginRatio: null, positions: 1 });
  });

  it("atRisk takes the first page of a large book by partial selection, in the same order as a full sort", () => {
    const book = pricedBook();
    for (let i = 0; i < 2000; i++) {
      const id = `a${String(i).padStart(4, "0")}`;
      book.setPosition(id, "SOL-PERP", 10, 150);
      book.setCollateral(id, ((i * 7919) % 2000) / 10);
    }
    const full = atRisk(book, { limit: 2000 }).items.map((r) => r.accountId);
    expect(atRisk(book, { limit: 25 }).items.map((r) => r.accountId)).toEqual(full.slice(0, 25));
    expect(atRisk(book, { offset: 40, limit: 25 }).items.map((r) => r.accountId)).toEqual(full.slice(40, 65));
  });

  it("the summary counts accounts by status and sums the maintenance shortfall and the planned closes", () => {
    const book = pricedBook();
    const collaterals: Record<string, number> = { h: 2500, l: 200, b: 100, x: 0 };
    for (const [id, c] of Object.entries(collaterals)) {
      book.setPosition(id, "BTC-PERP", 1, 60000);
      book.setCollateral(id, c);
    }
    const s = bookSummary(book);
    expect(s.byStatus).toEqual({ healthy: 1, warning: 0, liquidatable: 1, backstop: 1, bankrupt: 1, unknown: 0 });
    expect(s).toMatchObject({ markets: 3, accounts: 4, accountsWithPositions: 4, positions: 4, queue: { size: 3, paused: 0 } });
    expect(s.mmShortfall).toBeCloseTo(50 + 150 + 250, 9);
    const evaluated = evaluateScenario(scenarioOfSnapshot(bookSnapshot(book))).accounts;
    const planned = evaluated.flatMap((a) => a.liquidation.closes).reduce((t, c) => t + c.notional, 0);
    expect(s.pendingNotional).toBeCloseTo(planned, 6);
    expect(s.expectedDeficit).toBeCloseTo(evaluated.reduce((t, a) => t + a.liquidation.deficit, 0), 9);
  });

  it("a change set lists each touched account once, queue entries added and removed, and numbers the drains", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 1, 60000);
    book.setCollateral("a", 1000);
    book.setPosition("b", "ETH-PERP", 1, 3000);
    book.setCollateral("b", 1000);
    const first = book.drainChanges();
    expect(first.ids!.accounts.sort()).toEqual(["a", "b"]);
    expect(first.summaryChanged).toBe(true);

    book.setCollateral("a", 100); // a enters the queue
    book.setMark("BTC-PERP", 60001);
    const second = book.drainChanges();
    expect(second.seq).toBe(first.seq + 1);
    expect(second).toMatchObject({ accounts: 1, statusChanged: 1, queueAdded: 1, queueRemoved: 0, queueChanged: 0 });
    expect(second.ids).toEqual({ accounts: ["a"], statusChanged: ["a"], queueAdded: ["a"], queueRemoved: [], queueChanged: [] });

    book.setMark("BTC-PERP", 60002);
    expect(book.drainChanges()).toMatchObject({ accounts: 1, statusChanged: 0, queueChanged: 1, ids: { accounts: ["a"], statusChanged: [], queueChanged: ["a"] } });

    book.setCollateral("a", 1000); // back out
    book.setCollateral("b", 10); // in
    book.setCollateral("b", 1000); // and out again before the drain: neither added nor removed
    expect(book.drainChanges()).toMatchObject({ statusChanged: 1, queueAdded: 0, queueRemoved: 1, ids: { statusChanged: ["a"], queueAdded: [], queueRemoved: ["a"] } });

    const idle = book.drainChanges();
    expect(idle).toMatchObject({ accounts: 0, summaryChanged: false, seq: second.seq + 2 });
  });

  it("a change set too large to name its accounts says which can have changed: the moved markets' holders and the few touched otherwise", () => {
    const book = pricedBook();
    const holders = CHANGE_SET_MAX_IDS + 44;
    for (let i = 0; i < holders; i++) book.setPosition(`sol${i}`, "SOL-PERP", 1, 150);
    book.setPosition("other", "ETH-PERP", 1, 3000);
    book.drainChanges();
    book.setMark("SOL-PERP", 151);
    book.setCollateral("other", 500);
    const scoped = book.drainChanges();
    expect(scoped.accounts).toBe(holders + 1);
    expect(scoped.ids).toBeNull();
    expect(scoped).toMatchObject({ markets: ["SOL-PERP"], otherAccounts: ["other"] });
    book.setStale("SOL-PERP", true);
    expect(book.drainChanges()).toMatchObject({ markets: ["SOL-PERP"], otherAccounts: [] });
    // More accounts touched otherwise than can be named: nothing can be said.
    for (let i = 0; i < holders; i++) book.setCollateral(`sol${i}`, 100 + i);
    expect(book.drainChanges()).toMatchObject({ ids: null, otherAccounts: null });
    // A small change set names its accounts and needs no scope.
    book.setCollateral("other", 600);
    expect(book.drainChanges()).toMatchObject({ ids: { accounts: ["other"] }, otherAccounts: null });
  });

  it("a stale flag change reaches every holder and the market list of the change set", () => {
    const book = pricedBook();
    book.setPosition("a", "SOL-PERP", 10, 150);
    book.setPosition("b", "SOL-PERP", -10, 150);
    book.setPosition("c", "ETH-PERP", 1, 3000);
    book.drainChanges();
    book.setStale("SOL-PERP", true);
    const changes = book.drainChanges();
    expect(changes.markets).toEqual(["SOL-PERP"]);
    expect(changes.ids!.accounts.sort()).toEqual(["a", "b"]);
    expect(bookSummary(book).staleMarkets).toEqual(["SOL-PERP"]);
    expect(accountView(book, "a", NOW)!.positions[0]!.stale).toBe(true);
    book.setMark("SOL-PERP", 150); // same price, fresh again
    expect(book.isStale("SOL-PERP")).toBe(false);
  });

  it("the snapshot is the live state as columns and evaluates to the same figures", () => {
    const book = pricedBook();
    book.setPosition("a", "BTC-PERP", 0.5, 61000);
    book.setPosition("a", "SOL-PERP", -30, 140);
    book.setCollateral("a", 700);
    book.setPosition("b", "ETH-PERP", 2, 2900);
    const snap = bookSnapshot(book);
    expect(snap.accountIds).toEqual(["a", "b"]);
    expect([...snap.accountStart]).toEqual([0, 2, 3]);
    const scenario = scenarioOfSnapshot(snap);
    expect(scenario.prices).toEqual({ "BTC-PERP": 60000, "ETH-PERP": 3000, "SOL-PERP": 150 });
    const [a] = evaluateScenario(scenario).accounts;
    expect(closeTo(accountRow(book, "a")!.equity!, a!.equity, 1000)).toBe(true);
    expect(closeTo(accountRow(book, "a")!.maintenanceMargin!, a!.maintenanceMargin, 100)).toBe(true);
  });

  it("the account view lists positions by market id with tiers, liquidation prices and the top-ups that clear each line", () => {
    const book = pricedBook();
    book.setPosition("a", "SOL-PERP", -30, 140);
    book.setPosition("a", "BTC-PERP", 0.5, 61000);
    book.setCollateral("a", 700);
    const view = accountView(book, "a", NOW)!;
    expect(view.positions.map((p) => p.marketId)).toEqual(["BTC-PERP", "SOL-PERP"]);
    expect(view.positions[0]).toMatchObject({ tier: 1, markPrice: 60000, entryPrice: 61000, stale: false });
    const mm = view.maintenanceMargin!;
    expect(view.topUp!.toMaintenance).toBeCloseTo(Math.max(0, mm - view.equity!), 9);
    expect(view.topUp!.toHealthy).toBeCloseTo(Math.max(0, mm / 0.8 - view.equity!), 9);
    expect(accountView(book, "nobody", NOW)).toBeNull();
    void ETH;
    void SOL;
  });
});
