import { describe, expect, it } from "vitest";
import {
  accountRow, accountView, atRisk, bookSnapshot, bookSummary, CHANGE_SET_MAX_IDS, liquidationMapOfSnapshot, marginRows, RATIO_EDGES,
  ratioHistogram, type LiveBook,
} from "@/lib/engine";
import { ACCOUNT_STATUSES, evaluateScenario, type AccountInput } from "@/lib/risk";
import { scenarioOfSnapshot } from "@/lib/engine";
import { pricedBook } from "./helpers/book";

const NOW = 1_700_000_000_000;

/** `n` accounts `prefix-i`, each 1 BTC long from 60,000 with collateral from `collateral(i)`. */
function btcLongs(book: LiveBook, prefix: string, n: number, collateral: (i: number) => number): void {
  for (let i = 0; i < n; i++) {
    book.setPosition(`${prefix}-${i}`, "BTC-PERP", 1, 60000);
    book.setCollateral(`${prefix}-${i}`, collateral(i));
  }
}

describe("what the engine hands the desk", () => {
  it("a change set counts every changed account but names them only when there are few", () => {
    const book = pricedBook();
    btcLongs(book, "many", CHANGE_SET_MAX_IDS + 1, () => 5000);
    book.setPosition("few-0", "SOL-PERP", 10, 150);
    book.setPosition("few-1", "SOL-PERP", -10, 150);
    book.drainChanges();

    book.setMark("BTC-PERP", 60100);
    const big = book.drainChanges();
    expect(big).toMatchObject({ accounts: CHANGE_SET_MAX_IDS + 1, markets: ["BTC-PERP"], ids: null });

    book.setMark("SOL-PERP", 151);
    const small = book.drainChanges();
    expect(small.accounts).toBe(2);
    expect(small.ids!.accounts.sort()).toEqual(["few-0", "few-1"]);
  });

  it("a market crash counts every account entering the queue, without naming them", () => {
    const book = pricedBook();
    btcLongs(book, "w", 300, (i) => 100 + i * 10);
    book.drainChanges();
    const before = book.queue.length;
    book.setMark("BTC-PERP", 57000);
    const changes = book.drainChanges();
    expect(changes.queueAdded).toBe(book.queue.length - before);
    expect(changes.queueChanged).toBe(before);
    expect(changes.queueAdded).toBeGreaterThan(CHANGE_SET_MAX_IDS);
    expect(changes.statusChanged).toBeGreaterThanOrEqual(changes.queueAdded);
    expect(changes.ids).toBeNull();
  });

  it("margin rows: one row per account changed since the previous call, with the figures of its list row; then none", () => {
    const book = pricedBook();
    btcLongs(book, "m", 40, (i) => 300 + i * 100);
    book.setPosition("flat", "ETH-PERP", 1, 3000);
    book.setPosition("flat", "ETH-PERP", 0, 3000);
    marginRows(book);

    book.setMark("BTC-PERP", 59800);
    book.addCollateral("m-3", 50);
    book.setMark("BTC-PERP", 59700); // m-3 changes twice: one row
    const rows = marginRows(book);
    expect(rows.accountIds).toHaveLength(40);
    expect(new Set(rows.accountIds).size).toBe(40);
    rows.accountIds.forEach((id, i) => {
      const row = accountRow(book, id)!;
      expect(rows.collateral[i]).toBe(row.collateral);
      expect(rows.equity[i]).toBe(row.equity);
      expect(rows.maintenanceMargin[i]).toBe(row.maintenanceMargin);
      expect(row.marginRatio === null ? Number.isNaN(rows.marginRatio[i]) : rows.marginRatio[i] === row.marginRatio).toBe(true);
      expect(ACCOUNT_STATUSES[rows.status[i]!]).toBe(row.status);
    });
    expect(rows.marginRatio.some(Number.isNaN)).toBe(true); // some equity <= 0 at 59,700
    expect(marginRows(book).accountIds).toEqual([]);
    book.setMark("SOL-PERP", 151); // nobody holds SOL
    expect(book.changes.pendingRows()).toBe(0);
  });

  it("margin rows come at most `limit` at a time, those waiting longest first; the rest stay pending", () => {
    const book = pricedBook();
    btcLongs(book, "r", 10, () => 5000);
    marginRows(book);
    for (const i of [7, 2, 9, 4]) book.addCollateral(`r-${i}`, 1);
    book.setMark("BTC-PERP", 60100); // every account, after those four
    expect(book.changes.pendingRows()).toBe(10);
    expect(marginRows(book, 3).accountIds).toEqual(["r-7", "r-2", "r-9"]);
    book.addCollateral("r-7", 1); // pending again, behind the others
    const rest = marginRows(book, 100).accountIds;
    expect(rest).toHaveLength(8);
    expect(rest[0]).toBe("r-4");
    expect(rest[rest.length - 1]).toBe("r-7");
    expect(book.changes.pendingRows()).toBe(0);
  });

  it("the ratio histogram puts every account in one bucket by margin ratio, equity <= 0 and no position apart", () => {
    const book = pricedBook();
    btcLongs(book, "h", 200, (i) => -50 + i * 25);
    book.setCollateral("nothing-held", 1000);
    const h = ratioHistogram(book);
    expect(h.edges).toEqual([...RATIO_EDGES]);
    const rows = atRisk(book, { limit: 1000 }).items;
    const want = RATIO_EDGES.map(() => 0);
    let bankrupt = 0;
    for (const r of rows) {
      if (r.positions === 0) continue;
      if (r.marginRatio === null) bankrupt++;
      else want[RATIO_EDGES.findLastIndex((edge, i) => i === 0 || r.marginRatio! >= edge)]!++;
    }
    expect(h).toEqual({ edges: [...RATIO_EDGES], counts: want, bankrupt, flat: 1, unknown: 0 });
    expect(h.counts.reduce((a, b) => a + b, 0) + h.bankrupt + h.flat).toBe(201);
    expect(h.bankrupt).toBeGreaterThan(0);
    expect(h.counts[h.counts.length - 1]).toBeGreaterThan(0); // above 150%
  });

  it("atRisk with an id prefix filters before paging: the total counts the matches", () => {
    const book = pricedBook();
    btcLongs(book, "alpha", 30, (i) => 200 + i);
    btcLongs(book, "beta", 30, (i) => 100 + i);
    const page = atRisk(book, { idPrefix: "alpha-1", limit: 5 });
    expect(page.total).toBe(11); // alpha-1, alpha-10 … alpha-19
    expect(page.items.map((r) => r.accountId)).toEqual(
      atRisk(book, { limit: 100 }).items.map((r) => r.accountId).filter((id) => id.startsWith("alpha-1")).slice(0, 5),
    );
    expect(atRisk(book, { idPrefix: "gamma" })).toMatchObject({ total: 0, items: [] });
  });

  it("a market's snapshot holds its holders only, with all their positions, and gives the whole book's liquidation map", () => {
    const book = pricedBook();
    book.setPosition("both", "BTC-PERP", 1, 60000);
    book.setPosition("both", "SOL-PERP", -20, 150);
    book.setCollateral("both", 2000);
    book.setPosition("eth-only", "ETH-PERP", 3, 3000);
    btcLongs(book, "btc", 20, (i) => 400 + 50 * i);
    const holders = bookSnapshot(book, { market: "BTC-PERP" });
    expect(holders.accountIds).toEqual(["both", ...Array.from({ length: 20 }, (_, i) => `btc-${i}`)]);
    expect(holders.accountStart[1]).toBe(2);
    const all = bookSnapshot(book);
    expect(liquidationMapOfSnapshot(holders, "BTC-PERP")).toEqual(liquidationMapOfSnapshot(all, "BTC-PERP"));
    expect(bookSnapshot(book, { market: "NOPE" }).accountIds).toEqual([]);
  });

  it("a queue entry gives the 1-based tier of its next step's position before and after the step: 40 ETH short in tier 3 drops to tier 2 after a 10 ETH step", () => {
    const book = pricedBook();
    const twoLegs: AccountInput = {
      id: "two-legs", collateral: 3600,
      positions: [{ marketId: "BTC-PERP", qty: 3, entryPrice: 60500 }, { marketId: "ETH-PERP", qty: -40, entryPrice: 2990 }],
    };
    book.setCollateral(twoLegs.id, twoLegs.collateral);
    book.applyPositions(twoLegs.positions.map((p) => ({ accountId: twoLegs.id, ...p })));
    const entry = book.queue.page(NOW).items[0]!;
    expect(entry.nextStep).toMatchObject({ marketId: "ETH-PERP", qty: 10 });
    // 40 ETH at 3,000 = 120,000 (tier 3 above 100,000); 30 ETH = 90,000 (tier 2).
    expect(entry).toMatchObject({ tierBefore: 3, tierAfter: 2 });
    const position = accountView(book, "two-legs", NOW)!.positions.find((p) => p.marketId === "ETH-PERP")!;
    expect(position.tier).toBe(entry.tierBefore);
  });

  it("a step that closes the whole position leaves notional 0: tier 1 after", () => {
    const book = pricedBook();
    book.setPosition("deep", "BTC-PERP", 10, 61000); // 600,000 notional: tier 3
    book.setCollateral("deep", 500);
    const entry = book.queue.page(NOW).items[0]!;
    expect(entry.mode).toBe("full");
    expect(entry.nextStep!.qty).toBe(10);
    expect(entry).toMatchObject({ tierBefore: 3, tierAfter: 1 });
  });

  it("the summary re-plans at most 500 moved members, counts the others as pending, and is exact once none is", () => {
    const book = pricedBook();
    btcLongs(book, "q", 1200, (i) => 150 + (i % 100));
    book.queue.refresh();
    expect(book.queue.length).toBe(1200);
    book.setMark("BTC-PERP", 59990);
    expect(book.queue.dirtyCount()).toBe(1200);
    const first = bookSummary(book);
    expect(first.queue).toMatchObject({ size: 1200, plansPending: 700 });
    expect(bookSummary(book).queue.plansPending).toBe(200);
    expect(book.queue.refresh(150)).toBe(150);
    const settled = bookSummary(book);
    expect(settled.queue.plansPending).toBe(0);
    const evaluated = evaluateScenario(scenarioOfSnapshot(bookSnapshot(book))).accounts;
    const planned = evaluated.flatMap((a) => a.liquidation.closes).reduce((t, c) => t + c.notional, 0);
    expect(settled.pendingNotional).toBeCloseTo(planned, 4);
    expect(settled.expectedDeficit).toBeCloseTo(evaluated.reduce((t, a) => t + a.liquidation.deficit, 0), 6);
  });
});
