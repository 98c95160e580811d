import { describe, expect, it } from "vitest";
import { accountRow, accountView, bookSummary, LiveBook } from "@/lib/engine";
import { BEYOND_DEPTH, evaluateScenario, smallestAmountAbove, type AccountInput, type LiquidationPlan } from "@/lib/risk";
import { pricedBook } from "./helpers/book";
import { MARKETS, PRICES } from "./helpers/markets";

const T0 = 1_700_000_000_000;

/** The spec's "two-legs" account: liquidatable at 60000 / 3000, its plan closes 13.58 ETH in steps of 10. */
const TWO_LEGS: AccountInput = {
  id: "two-legs",
  collateral: 3600,
  positions: [
    { marketId: "BTC-PERP", qty: 3, entryPrice: 60500 },
    { marketId: "ETH-PERP", qty: -40, entryPrice: 2990 },
  ],
};

function load(book: LiveBook, account: AccountInput): void {
  book.setCollateral(account.id, account.collateral);
  book.applyPositions(account.positions.map((p) => ({ accountId: account.id, ...p })));
}

/** The evaluate contract's plan for `account` at `prices` (lib/risk, from scratch). */
function specPlan(account: AccountInput, prices: Record<string, number> = PRICES): LiquidationPlan {
  return evaluateScenario({ markets: MARKETS, prices, accounts: [account] }).accounts[0]!.liquidation;
}

function expectSamePlan(got: LiquidationPlan, want: LiquidationPlan): void {
  expect(got.mode).toBe(want.mode);
  expect(got.closes.map((c) => [c.marketId, c.side, c.qty])).toEqual(want.closes.map((c) => [c.marketId, c.side, c.qty]));
  got.closes.forEach((c, i) => {
    const w = want.closes[i]!;
    for (const key of ["markPrice", "expectedPrice", "notional", "slippageCost", "fee"] as const) expect(c[key]).toBeCloseTo(w[key], 6);
  });
  expect(got.nextStep?.qty ?? null).toBe(want.nextStep?.qty ?? null);
  expect(got.after.equity).toBeCloseTo(want.after.equity, 6);
  expect(got.after.maintenanceMargin).toBeCloseTo(want.after.maintenanceMargin, 6);
  expect(got.deficit).toBeCloseTo(want.deficit, 6);
}

describe("liquidation queue", () => {
  it("an account crossing maintenance enters the queue with the plan of spec §6", () => {
    const book = pricedBook({}, MARKETS, { ...PRICES, "BTC-PERP": 61000 });
    load(book, TWO_LEGS);
    expect(book.queue.length).toBe(0);
    book.drainChanges();

    book.setMark("BTC-PERP", 60000);
    expect(book.drainChanges().ids!.queueAdded).toEqual(["two-legs"]);
    const { items } = book.queue.page(T0);
    expect(items).toHaveLength(1);
    const entry = items[0]!;
    expect(entry).toMatchObject({ accountId: "two-legs", rank: 0, status: "liquidatable", mode: "partial", paused: false, pausedReason: null, cooldownRemainingMs: 0, lastStepAt: null });
    expectSamePlan(entry.plan, specPlan(TWO_LEGS));
    expect(entry.nextStep).toMatchObject({ marketId: "ETH-PERP", side: "buy", qty: 10 }); // capped at ceil(0.25 * 4000 lots)
    expect(entry.shortfall).toBeCloseTo(entry.maintenanceMargin - entry.equity, 9);
  });

  it("an account under the backstop line is planned in full, without a step cap", () => {
    const book = pricedBook();
    const backstop: AccountInput = { ...TWO_LEGS, id: "deep", collateral: 2000 };
    load(book, backstop);
    const entry = book.queue.page(T0).items[0]!;
    expect(entry.status).toBe("backstop");
    expect(entry.mode).toBe("full");
    expectSamePlan(entry.plan, specPlan(backstop));
    expect(entry.nextStep!.qty).toBe(entry.plan.closes[0]!.qty);
  });

  it("a top-up that lifts the account above maintenance removes it from the queue at once", () => {
    const book = pricedBook();
    load(book, TWO_LEGS);
    const view = accountView(book, "two-legs", T0)!;
    expect(view.queue).not.toBeNull();
    const needed = view.topUp!.toMaintenance;
    expect(needed).toBeCloseTo(view.maintenanceMargin! - view.equity!, 9);
    book.drainChanges();

    book.addCollateral("two-legs", needed - 1); // not enough: still pending, with a new plan
    expect(book.queue.length).toBe(1);
    expect(book.drainChanges().ids).toMatchObject({ queueChanged: ["two-legs"], queueAdded: [], queueRemoved: [] });

    book.addCollateral("two-legs", smallestAmountAbove(1, 0.01));
    expect(book.queue.length).toBe(0);
    expect(book.queue.page(T0).items).toEqual([]);
    expect(accountView(book, "two-legs", T0)!.queue).toBeNull();
    expect(book.drainChanges().ids).toMatchObject({ queueRemoved: ["two-legs"], statusChanged: ["two-legs"] });
  });

  it("an entry is paused with the reason while a market its plan closes is stale, and resumes on a fresh price", () => {
    const book = pricedBook();
    load(book, TWO_LEGS);
    expect(book.queue.dueSteps(T0).map((e) => e.accountId)).toEqual(["two-legs"]);
    book.drainChanges();

    book.setStale("ETH-PERP", true);
    const paused = book.queue.page(T0).items[0]!;
    expect(paused).toMatchObject({ paused: true, pausedReason: "stale price: ETH-PERP" });
    expect(book.queue.dueSteps(T0)).toEqual([]);
    expect(bookSummary(book).queue).toEqual({ size: 1, paused: 1, byMode: { none: 0, partial: 0, full: 0, [paused.mode]: 1 }, plansPending: 0 });
    expect(book.drainChanges().ids!.queueChanged).toEqual(["two-legs"]);

    book.setMark("ETH-PERP", 3000, false);
    expect(book.queue.page(T0).items[0]).toMatchObject({ paused: false, pausedReason: null });
    expect(book.queue.dueSteps(T0).map((e) => e.accountId)).toEqual(["two-legs"]);
  });

  it("a stale market the plan does not close pauses the whole account (spec §7 touching); the reason names every stale market held", () => {
    const book = pricedBook();
    load(book, TWO_LEGS); // partial: closes ETH only
    load(book, { ...TWO_LEGS, id: "deep", collateral: 2000 }); // full: closes both
    expect(book.queue.dueSteps(T0).map((e) => e.accountId).sort()).toEqual(["deep", "two-legs"]);
    book.setStale("BTC-PERP", true);
    const byId = new Map(book.queue.page(T0).items.map((e) => [e.accountId, e]));
    // two-legs' plan closes only ETH (fresh), but its BTC leg is stale: nothing of it runs.
    expect(byId.get("two-legs")!.nextStep!.marketId).toBe("ETH-PERP");
    expect(byId.get("two-legs")).toMatchObject({ paused: true, pausedReason: "stale price: BTC-PERP" });
    expect(byId.get("deep")).toMatchObject({ paused: true, pausedReason: "stale price: BTC-PERP" });
    expect(book.queue.dueSteps(T0)).toEqual([]);
    expect(bookSummary(book).queue.paused).toBe(2);
    book.setStale("ETH-PERP", true);
    for (const e of book.queue.page(T0).items) expect(e.pausedReason).toBe("stale price: BTC-PERP, ETH-PERP");
    book.setStale("BTC-PERP", false);
    book.setStale("ETH-PERP", false);
    expect(book.queue.page(T0).items.map((e) => e.paused)).toEqual([false, false]);
    expect(bookSummary(book).queue.paused).toBe(0);
    expect(book.queue.dueSteps(T0)).toHaveLength(2);
  });

  it("a position in a market never priced takes the account out of the queue (its figures are unknown) until that market is priced", () => {
    const book = pricedBook({}, MARKETS.filter((m) => m.id !== "SOL-PERP"));
    book.upsertMarket(MARKETS.find((m) => m.id === "SOL-PERP")!);
    load(book, TWO_LEGS);
    expect(book.queue.dueSteps(T0)).toHaveLength(1);
    book.setPosition("two-legs", "SOL-PERP", 1, 150);
    expect(book.queue.dueSteps(T0)).toEqual([]);
    expect(book.queue.page(T0).items).toEqual([]);
    expect(accountRow(book, "two-legs")!.status).toBe("unknown");
    book.setMark("SOL-PERP", 150);
    expect(book.queue.page(T0).items[0]).toMatchObject({ accountId: "two-legs", paused: false });
    book.setStale("SOL-PERP", true);
    expect(book.queue.page(T0).items[0]).toMatchObject({ paused: true, pausedReason: "stale price: SOL-PERP" });
  });

  it("an account in mode full does not wait out a cool-down left by an earlier partial step (spec §6.5)", () => {
    const book = pricedBook({ params: { cooldownMs: 30_000 } });
    load(book, TWO_LEGS);
    expect(book.queue.page(T0).items[0]!.mode).toBe("partial");
    book.markStepExecuted("two-legs", T0);
    expect(book.queue.dueSteps(T0 + 1000)).toEqual([]);
    expect(book.queue.page(T0 + 1000).items[0]!.cooldownRemainingMs).toBe(29_000);
    // The price moves against it: now below the backstop line, mode full, due at once.
    book.setMark("BTC-PERP", 59_000);
    const entry = book.queue.page(T0 + 1000).items[0]!;
    expect(entry.mode).toBe("full");
    expect(entry.cooldownRemainingMs).toBe(0);
    expect(entry.lastStepAt).toBe(T0);
    const due = book.queue.dueSteps(T0 + 1000);
    expect(due.map((e) => e.accountId)).toEqual(["two-legs"]);
    expect(due[0]!.plan.closes.map((c) => c.marketId).sort()).toEqual(["BTC-PERP", "ETH-PERP"]);
    // Still in mode full right after a step of its own: no cool-down either.
    book.markStepExecuted("two-legs", T0 + 1000);
    expect(book.queue.dueSteps(T0 + 1001).map((e) => e.accountId)).toEqual(["two-legs"]);
  });

  it("dueSteps honours the cool-down after an executed step", () => {
    const book = pricedBook({ params: { cooldownMs: 5000 } });
    load(book, TWO_LEGS);
    book.drainChanges();
    book.markStepExecuted("two-legs", T0);
    expect(book.drainChanges().ids!.queueChanged).toEqual(["two-legs"]);
    expect(book.queue.dueSteps(T0 + 4999)).toEqual([]);
    expect(book.queue.page(T0 + 4999).items[0]).toMatchObject({ cooldownRemainingMs: 1, lastStepAt: T0 });
    expect(book.queue.dueSteps(T0 + 5000).map((e) => e.accountId)).toEqual(["two-legs"]);
    expect(book.queue.page(T0 + 5000).items[0]!.cooldownRemainingMs).toBe(0);
  });

  it("a step that failed to execute pauses the account with the reason for the cool-down, then it is due again; a step that executes clears it", () => {
    const book = pricedBook({ params: { cooldownMs: 5000 } });
    load(book, TWO_LEGS);
    book.drainChanges();
    book.markStepFailed("two-legs", T0, "venue refused the order");
    expect(book.drainChanges().ids!.queueChanged).toEqual(["two-legs"]);
    expect(book.queue.dueSteps(T0 + 4999)).toEqual([]);
    expect(book.queue.page(T0 + 4999).items[0]).toMatchObject({ paused: true, pausedReason: "execution failed: venue refused the order" });
    expect(bookSummary(book).queue.paused).toBe(1);
    expect(book.queue.dueSteps(T0 + 5000).map((e) => e.accountId)).toEqual(["two-legs"]);
    expect(book.queue.page(T0 + 5000).items[0]).toMatchObject({ paused: false, pausedReason: null });
    book.markStepExecuted("two-legs", T0 + 5000);
    expect(bookSummary(book).queue.paused).toBe(0);
  });

  it("a plan whose next step is beyond the book's depth pauses the account with that reason and is never due", () => {
    const book = pricedBook();
    // 10,000 BTC long: a full close of 600 M against BTC's depth has an average impact a(X) > 1.
    load(book, { id: "whale", collateral: 100000, positions: [{ marketId: "BTC-PERP", qty: 10000, entryPrice: 60000 }] });
    const entry = book.queue.page(T0).items[0]!;
    expect(entry).toMatchObject({ accountId: "whale", mode: "full", paused: true });
    expect(entry.pausedReason).toBe(`${BEYOND_DEPTH}: BTC-PERP`);
    expect(entry.nextStep!.beyondDepth).toBe(true);
    expect(book.queue.dueSteps(T0)).toEqual([]);
    expect(bookSummary(book).queue.paused).toBe(1);
  });

  it("after a step executes the account is planned again at the marks of that moment, and leaves once above maintenance", () => {
    const book = pricedBook();
    const deeper: AccountInput = { ...TWO_LEGS, collateral: 3300 };
    load(book, deeper);
    const fill = (collateral: number, shortQty: number) => {
      const step = book.queue.dueSteps(T0)[0]!.nextStep!;
      expect(step).toMatchObject({ marketId: "ETH-PERP", side: "buy", qty: 10 });
      // The simulated venue fills the step at its expected price: the short shrinks, PnL and fee are realized.
      book.setPosition("two-legs", "ETH-PERP", shortQty + step.qty, 2990);
      book.addCollateral("two-legs", -step.qty * (step.expectedPrice - 2990) - step.fee);
      book.markStepExecuted("two-legs", T0);
      return { collateral: collateral - step.qty * (step.expectedPrice - 2990) - step.fee, qty: shortQty + step.qty };
    };
    const after = fill(3300, -40);
    const entry = book.queue.page(T0 + 1).items[0]!;
    const afterInput: AccountInput = {
      id: "two-legs",
      collateral: after.collateral,
      positions: [TWO_LEGS.positions[0]!, { marketId: "ETH-PERP", qty: after.qty, entryPrice: 2990 }],
    };
    // With less ETH left, BTC now carries the larger MM: the new plan closes BTC.
    expectSamePlan(entry.plan, specPlan(afterInput));
    expect(entry.nextStep!.marketId).toBe("BTC-PERP");
    expect(book.queue.dueSteps(T0 + 1)).toEqual([]);
    expect(book.queue.dueSteps(T0 + 30_000)).toHaveLength(1);

    const lighter = pricedBook();
    load(lighter, TWO_LEGS);
    const step = lighter.queue.dueSteps(T0)[0]!.nextStep!;
    lighter.setPosition("two-legs", "ETH-PERP", -40 + step.qty, 2990);
    lighter.addCollateral("two-legs", -step.qty * (step.expectedPrice - 2990) - step.fee);
    expect(lighter.queue.length).toBe(0);
    expect(accountRow(lighter, "two-legs")!.status).toBe("warning");
  });

  it("orders entries by severity, then health ascending (margin ratio descending), then account id", () => {
    const book = pricedBook();
    // 1 BTC long at its entry: MM 250, equity = collateral, health = collateral / 250.
    const collaterals: Record<string, number> = { "liq-b": 240, "liq-a": 240, liq: 200, stop: 120, stop2: 160, bust: 0, bust2: -30, fine: 1000 };
    for (const [id, c] of Object.entries(collaterals)) {
      book.setPosition(id, "BTC-PERP", 1, 60000);
      book.setCollateral(id, c);
    }
    const page = book.queue.page(T0);
    expect(page.items.map((e) => [e.accountId, e.status])).toEqual([
      ["bust2", "bankrupt"],
      ["bust", "bankrupt"],
      ["stop", "backstop"],
      ["stop2", "backstop"],
      ["liq", "liquidatable"],
      ["liq-a", "liquidatable"],
      ["liq-b", "liquidatable"],
    ]);
    expect(page.items.map((e) => e.rank)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(book.queue.page(T0, 2, 2).items.map((e) => e.accountId)).toEqual(["stop", "stop2"]);
    expect(book.queue.dueSteps(T0, 3).map((e) => e.accountId)).toEqual(["bust2", "bust", "stop"]);
    // A tick re-orders: the short-lived order follows the figures.
    book.setPosition("liq-b", "ETH-PERP", 10, 3100); // a 1000 loss on ETH: liq-b is now the most bankrupt
    expect(book.queue.page(T0).items.map((e) => e.accountId).slice(0, 3)).toEqual(["liq-b", "bust2", "bust"]);
  });

  it("only queue members whose figures changed are planned again", () => {
    const book = pricedBook();
    for (let i = 0; i < 4; i++) {
      book.setPosition(`btc-${i}`, "BTC-PERP", 1, 60000);
      book.setCollateral(`btc-${i}`, 200);
    }
    for (let i = 0; i < 3; i++) {
      book.setPosition(`eth-${i}`, "ETH-PERP", 10, 3000);
      book.setCollateral(`eth-${i}`, 100);
    }
    book.setPosition("healthy-eth", "ETH-PERP", 1, 3000);
    book.setCollateral("healthy-eth", 10_000);
    expect(book.queue.refresh()).toBe(7);
    expect(book.queue.dirtyCount()).toBe(0);
    expect(book.queue.refresh()).toBe(0);

    book.setMark("ETH-PERP", 2999);
    expect(book.queue.dirtyCount()).toBe(3);
    const before = book.queue.planned;
    book.queue.page(T0);
    expect(book.queue.planned - before).toBe(3);

    book.setMark("ETH-PERP", 2998);
    book.setMark("ETH-PERP", 2997); // two ticks before a read: still one plan each
    bookSummary(book);
    expect(book.queue.planned - before).toBe(6);
  });

  it("a page of the queue plans only its own dirty entries; the summary plans the rest", () => {
    const book = pricedBook();
    for (let i = 0; i < 10; i++) {
      book.setPosition(`a${i}`, "BTC-PERP", 1, 60000);
      book.setCollateral(`a${i}`, 150 + 5 * i);
    }
    const before = book.queue.planned;
    expect(book.queue.page(T0, 0, 3).items.map((e) => e.accountId)).toEqual(["a0", "a1", "a2"]);
    expect(book.queue.planned - before).toBe(3);
    expect(book.queue.dirtyCount()).toBe(7);
    bookSummary(book);
    expect(book.queue.planned - before).toBe(10);
    expect(book.queue.dirtyCount()).toBe(0);
  });

  it("the order follows every kind of change: entries, exits, ticks and top-ups", () => {
    const book = pricedBook();
    const ids = ["p", "q", "r", "s", "t"];
    ids.forEach((id, i) => {
      book.setPosition(id, "BTC-PERP", 1, 60000);
      book.setPosition(id, "ETH-PERP", i % 2 === 0 ? 5 : -5, 3000);
      book.setCollateral(id, 200 + 20 * i);
    });
    const order = () => book.queue.page(T0).items.map((e) => e.accountId);
    const byHealth = () =>
      ids
        .map((id) => accountRow(book, id)!)
        .filter((r) => r.status === "liquidatable" || r.status === "backstop" || r.status === "bankrupt")
        .sort((x, y) => ["liquidatable", "backstop", "bankrupt"].indexOf(y.status) - ["liquidatable", "backstop", "bankrupt"].indexOf(x.status) || x.health! - y.health!)
        .map((r) => r.accountId);
    expect(order()).toEqual(byHealth());
    for (const price of [3010, 2990, 3030, 2950]) {
      book.setMark("ETH-PERP", price);
      expect(order()).toEqual(byHealth());
    }
    book.addCollateral("r", 500);
    book.setCollateral("t", 0);
    expect(order()).toEqual(byHealth());
    expect(order()).not.toContain("r");
  });

  it("a book without accounts has an empty queue and summary", () => {
    const book = new LiveBook();
    expect(book.queue.page(T0)).toEqual({ total: 0, offset: 0, limit: 100, items: [] });
    expect(book.queue.dueSteps(T0)).toEqual([]);
    expect(bookSummary(book)).toMatchObject({ accounts: 0, positions: 0, mmShortfall: 0, pendingNotional: 0, queue: { size: 0, paused: 0 } });
  });
});
