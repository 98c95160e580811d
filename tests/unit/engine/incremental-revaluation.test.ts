import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { accountRow, accountView, atRisk, bookSnapshot, bookSummary, LiveBook, ratioHistogram, scenarioOfSnapshot } from "@/lib/engine";
import {
  accountFigures,
  buildMarketBook,
  compileMarket,
  planPartialLiquidation,
  qtyOfLots,
  resolvePositions,
  type MarketParams,
} from "@/lib/risk";
import { closeTo } from "./helpers/book";
import { BTC, ETH, MARKETS, PRICES, SOL } from "./helpers/markets";

const ACCOUNTS = 8;
const NOW = 1_700_000_000_000;
/** A second BTC config (fewer, steeper tiers) to swap in: a parameter change revalues the market. */
const BTC_STEEP: MarketParams = { ...BTC, tiers: [{ maxNotional: 100000, mmr: 0.008, maxLeverage: 60 }, { maxNotional: null, mmr: 0.03, maxLeverage: 15 }] };

type Op =
  | { kind: "tick"; market: number; move: number }
  | { kind: "position"; account: number; market: number; lots: number; long: boolean; entryMove: number }
  | { kind: "close"; account: number; market: number }
  | { kind: "setCollateral"; account: number; amount: number }
  | { kind: "addCollateral"; account: number; delta: number }
  | { kind: "stale"; market: number; stale: boolean }
  | { kind: "retier"; steep: boolean };

const dbl = (min: number, max: number) => fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
const account = fc.integer({ min: 0, max: ACCOUNTS - 1 });
const market = fc.integer({ min: 0, max: MARKETS.length - 1 });

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant("tick" as const), market, move: dbl(-0.08, 0.08) }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant("position" as const),
      account,
      market,
      // From one lot to notionals deep in the top tier.
      lots: fc.oneof(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 50_000_000 })),
      long: fc.boolean(),
      entryMove: dbl(-0.2, 0.2),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("close" as const), account, market }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("setCollateral" as const), account, amount: dbl(-1000, 2e6) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("addCollateral" as const), account, delta: dbl(-5e4, 5e4) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("stale" as const), market, stale: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("retier" as const), steep: fc.boolean() }) },
);

function apply(book: LiveBook, op: Op): void {
  const id = (a: number) => `acct-${a}`;
  switch (op.kind) {
    case "tick": {
      // A market never priced gets its first price (its holders' figures become known).
      const m = MARKETS[op.market]!.id;
      book.setMark(m, (book.markOf(m) ?? PRICES[m]!) * (1 + op.move));
      return;
    }
    case "position": {
      const params = MARKETS[op.market]!;
      const qty = qtyOfLots(compileMarket(params), op.lots) * (op.long ? 1 : -1);
      book.setPosition(id(op.account), params.id, qty, (book.markOf(params.id) ?? PRICES[params.id]!) * (1 + op.entryMove));
      return;
    }
    case "close":
      book.setPosition(id(op.account), MARKETS[op.market]!.id, 0, 0);
      return;
    case "setCollateral":
      book.setCollateral(id(op.account), op.amount);
      return;
    case "addCollateral":
      book.addCollateral(id(op.account), op.delta);
      return;
    case "stale":
      book.setStale(MARKETS[op.market]!.id, op.stale);
      return;
    case "retier":
      book.upsertMarket(op.steep ? BTC_STEEP : BTC);
      return;
  }
}

/**
 * Every account's incrementally kept figures against lib/risk `accountFigures` from scratch; an
 * account holding a market never priced has status `unknown` and no figures (never entry-price ones).
 */
function expectMatchesFromScratch(book: LiveBook): void {
  const scenario = scenarioOfSnapshot(bookSnapshot(book));
  const markets = buildMarketBook(scenario.markets);
  const marks = new Map(Object.entries(scenario.prices));
  for (const input of scenario.accounts) {
    const got = accountRow(book, input.id)!;
    const unpriced = [...new Set(input.positions.filter((p) => !marks.has(p.marketId)).map((p) => p.marketId))].sort();
    if (unpriced.length > 0) {
      expect(got).toMatchObject({ status: "unknown", equity: null, maintenanceMargin: null, initialMargin: null, marginRatio: null, notional: null, unpricedMarkets: unpriced });
      expect(got.positions).toBe(input.positions.length);
      expect(accountView(book, input.id, NOW)).toMatchObject({ status: "unknown", equity: null, liquidation: null, topUp: null, queue: null });
      continue;
    }
    const want = accountFigures(input, markets, marks, book.params);
    expect(got.unpricedMarkets).toEqual([]);
    // A sum's rounding is relative to its terms: collateral and every PnL for equity.
    const equityScale = Math.abs(input.collateral) + want.positions.reduce((t, p) => t + Math.abs(p.unrealizedPnl), 0);
    expect(closeTo(got.equity!, want.equity, equityScale), `equity of ${input.id}: ${got.equity} vs ${want.equity}`).toBe(true);
    expect(closeTo(got.maintenanceMargin!, want.maintenanceMargin, want.maintenanceMargin)).toBe(true);
    expect(closeTo(got.initialMargin!, want.initialMargin, want.initialMargin)).toBe(true);
    expect(closeTo(got.notional!, want.positions.reduce((t, p) => t + p.notional, 0), got.notional!)).toBe(true);
    expect(got.status, `status of ${input.id}`).toBe(want.status);
    expect(got.positions).toBe(want.positions.length);
  }
}

/** A book of the test markets, every one priced except those in `unpriced` (indices into MARKETS). */
function seededBook(resyncEvery: number, unpriced: readonly number[] = []): LiveBook {
  const book = new LiveBook({ resyncEvery });
  for (const m of MARKETS) book.upsertMarket(m);
  MARKETS.forEach((m, i) => {
    if (!unpriced.includes(i)) book.setMark(m.id, PRICES[m.id]!);
  });
  return book;
}

describe("incremental revaluation", () => {
  it("equals a from-scratch evaluation after random sequences of ticks, position updates and collateral changes", () => {
    fc.assert(
      fc.property(fc.constantFrom(1, 32, 255), fc.array(opArb, { minLength: 1, maxLength: 250 }), (resyncEvery, ops) => {
        const book = seededBook(resyncEvery);
        ops.forEach((op, i) => {
          apply(book, op);
          if (i % 50 === 49) expectMatchesFromScratch(book);
        });
        expectMatchesFromScratch(book);
      }),
      { numRuns: 150 },
    );
  });

  it("with markets never priced at first: their holders are unknown (no entry-price figures) until the first price, then equal a from-scratch evaluation", () => {
    const indices = MARKETS.map((_, i) => i);
    fc.assert(
      fc.property(fc.constantFrom(1, 32, 255), fc.subarray(indices, { minLength: 1 }), fc.array(opArb, { minLength: 1, maxLength: 200 }), (resyncEvery, unpriced, ops) => {
        const book = seededBook(resyncEvery, unpriced);
        ops.forEach((op, i) => {
          apply(book, op);
          if (i % 40 === 39) expectMatchesFromScratch(book);
        });
        expectMatchesFromScratch(book);
        // Nothing of unknown figures is queued or due; the status counts add up.
        const summary = bookSummary(book);
        const unknown = atRisk(book, { status: "unknown", limit: 1000 }).items;
        expect(summary.byStatus.unknown).toBe(unknown.length);
        expect(Object.values(summary.byStatus).reduce((t, n) => t + n, 0)).toBe(summary.accounts);
        const queued = new Set(book.queue.page(NOW, 0, 1000).items.map((e) => e.accountId));
        for (const row of unknown) expect(queued.has(row.accountId)).toBe(false);
        expect(ratioHistogram(book).unknown).toBe(unknown.length);
      }),
      { numRuns: 120 },
    );
  });

  it("the queue holds exactly the accounts at or below maintenance, each with the planner's plan from scratch", () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 150 }), (ops) => {
        const book = seededBook(255);
        for (const op of ops) apply(book, op);
        const scenario = scenarioOfSnapshot(bookSnapshot(book));
        const markets = buildMarketBook(scenario.markets);
        const marks = new Map(Object.entries(scenario.prices));
        const page = book.queue.page(NOW, 0, 1000).items;
        const queued = new Set(page.map((e) => e.accountId));
        // The incrementally kept order equals a full sort of the from-scratch figures.
        const severity = (s: string) => ["liquidatable", "backstop", "bankrupt"].indexOf(s);
        const expected = scenario.accounts
          .map((input) => ({ id: input.id, f: accountFigures(input, markets, marks, book.params) }))
          .filter(({ f }) => severity(f.status) >= 0)
          .sort((x, y) => severity(y.f.status) - severity(x.f.status) || x.f.health! - y.f.health! || (x.id < y.id ? -1 : 1))
          .map((x) => x.id);
        expect(page.map((e) => e.accountId)).toEqual(expected);
        for (const input of scenario.accounts) {
          const want = accountFigures(input, markets, marks, book.params);
          const inQueue = want.status === "liquidatable" || want.status === "backstop" || want.status === "bankrupt";
          expect(queued.has(input.id), `${input.id} is ${want.status}`).toBe(inQueue);
          const view = accountView(book, input.id, NOW)!;
          if (!inQueue) {
            expect(view.liquidation!.mode).toBe("none");
            continue;
          }
          // The planner from scratch on the same positions: same closes, to the lot.
          const plan = planPartialLiquidation(want.equity, resolvePositions(input, markets, marks), book.params);
          expect(view.queue!.plan.mode).toBe(plan.mode);
          expect(view.queue!.plan.closes.map((c) => [c.marketId, c.side, c.qty])).toEqual(plan.closes.map((c) => [c.marketId, c.side, c.qty]));
          expect(view.queue!.nextStep?.qty).toBe(plan.nextStep?.qty);
          expect(view.liquidation).toBe(view.queue!.plan);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("a huge position replaced by a small one leaves none of its rounding in the account's sums (fast-check seed -1968025443 found it)", () => {
    const book = seededBook(255);
    const btc = compileMarket(BTC);
    book.setPosition("acct-0", ETH.id, qtyOfLots(compileMarket(ETH), 3), PRICES[ETH.id]! * 0.97);
    book.setCollateral("acct-0", 1234.5);
    // A PnL of about 1e11 USD on the huge position, then the position shrinks to one lot.
    book.setPosition("acct-0", BTC.id, qtyOfLots(btc, 8_388_608), PRICES[BTC.id]! * 0.81);
    for (let i = 0; i < 5; i++) book.setMark(BTC.id, PRICES[BTC.id]! * (1 + i / 1000));
    book.setPosition("acct-0", BTC.id, qtyOfLots(btc, 1), PRICES[BTC.id]! * 1.003);
    expectMatchesFromScratch(book);
    book.setPosition("acct-0", BTC.id, qtyOfLots(btc, 8_388_608), PRICES[BTC.id]! * 0.81);
    book.setPosition("acct-0", BTC.id, 0, 0);
    expectMatchesFromScratch(book);
  });

  it("ten thousand ticks with the least frequent resync stay within 1e-9 of a from-scratch evaluation", () => {
    const book = seededBook(255);
    const rand = mulberry(7);
    for (let a = 0; a < 200; a++) {
      for (const m of [BTC, ETH, SOL]) {
        if (rand() < 0.6) continue;
        const lots = 1 + Math.floor(rand() * 3_000_000);
        const qty = qtyOfLots(compileMarket(m), lots) * (rand() < 0.5 ? -1 : 1);
        book.setPosition(`acct-${a}`, m.id, qty, PRICES[m.id]! * (0.9 + 0.2 * rand()));
      }
      book.setCollateral(`acct-${a}`, rand() * 1e6);
    }
    for (let i = 0; i < 10_000; i++) {
      const m = MARKETS[i % 3]!.id;
      book.setMark(m, PRICES[m]! * (0.8 + 0.4 * rand()));
    }
    expectMatchesFromScratch(book);
  });
});

function mulberry(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
