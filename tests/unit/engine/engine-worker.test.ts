import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  accountView, atRisk, bookSnapshot, bookSummary, EngineClient, fundRunway, liquidationMapOfSnapshot, LiveBook, marginRows, QueuePageDiff,
  ratioHistogram, stressOfSnapshot, type ChangeSet, type CollateralUpdate, type PositionUpdate, type PriceUpdate,
} from "@/lib/engine";
import { compileMarket, qtyOfLots, RiskInputError } from "@/lib/risk";
import { closeTo } from "./helpers/book";
import { MARKETS, PRICES } from "./helpers/markets";

const NOW = 1_700_000_000_000;

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

/** Batches as ingest would send them: positions and collateral for 400 accounts, then price moves. */
function batches() {
  const rand = mulberry(42);
  const compiled = MARKETS.map(compileMarket);
  const positions: PositionUpdate[] = [];
  const collateral: CollateralUpdate[] = [];
  for (let a = 0; a < 400; a++) {
    const id = `acct-${a}`;
    let mm = 0;
    MARKETS.forEach((m, i) => {
      if (rand() < 0.4) return;
      const lots = 1 + Math.floor(rand() * 200_000);
      const qty = qtyOfLots(compiled[i]!, lots) * (rand() < 0.5 ? -1 : 1);
      positions.push({ accountId: id, marketId: m.id, qty, entryPrice: PRICES[m.id]! * (0.97 + 0.06 * rand()) });
      mm += Math.abs(qty) * PRICES[m.id]! * 0.01;
    });
    collateral.push({ accountId: id, amount: mm * (0.5 + 2 * rand()) });
  }
  const ticks: PriceUpdate[][] = [];
  for (let b = 0; b < 10; b++) {
    ticks.push(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! * (0.97 + 0.06 * rand()), stale: b === 9 && m.id === "SOL-PERP" })));
  }
  return { positions, collateral, ticks };
}

describe("engine worker", () => {
  let client: EngineClient;
  const pushed: ChangeSet[] = [];

  beforeAll(async () => {
    client = await EngineClient.start({ markets: MARKETS, changeIntervalMs: 0 });
    client.onChanges((c) => pushed.push(c));
  }, 30_000);

  afterAll(async () => {
    await client?.close();
  });

  it("round trip: batches applied in the worker give the same figures, queue, steps and snapshot as the in-thread live book", async () => {
    const local = new LiveBook();
    for (const m of MARKETS) local.upsertMarket(m);
    const { positions, collateral, ticks } = batches();
    await client.applyPrices(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! })));
    local.applyPrices(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! })));
    await client.applyPositions(positions);
    local.applyPositions(positions);
    await client.applyCollateral(collateral);
    local.applyCollateral(collateral);
    for (const batch of ticks) {
      const { touched } = await client.applyPrices(batch);
      expect(touched).toBe(local.applyPrices(batch));
    }
    const funding = positions.filter((p) => p.marketId === "ETH-PERP").map((p) => ({ accountId: p.accountId, delta: -p.qty * 3000 * 0.0001 }));
    await client.applyFunding(funding);
    local.applyCollateralDeltas(funding);
    await client.markStepExecuted([{ accountId: "acct-3", now: NOW }]);
    local.markStepExecuted("acct-3", NOW);

    const summary = await client.summary();
    expect(summary).toEqual(bookSummary(local));
    expect(summary.accounts).toBe(400);
    expect(summary.queue.size).toBeGreaterThan(10);
    expect(summary.staleMarkets).toEqual(["SOL-PERP"]);
    expect(await client.queue(NOW, 0, 1000)).toEqual(local.queue.page(NOW, 0, 1000));
    expect(await client.dueSteps(NOW + 1000, 20)).toEqual(local.queue.dueSteps(NOW + 1000, 20));
    expect(await client.atRisk({ minRatio: 0.5, limit: 30 })).toEqual(atRisk(local, { minRatio: 0.5, limit: 30 }));
    expect(await client.atRisk({ market: "BTC-PERP", status: "warning" })).toEqual(atRisk(local, { market: "BTC-PERP", status: "warning" }));
    for (const id of ["acct-0", "acct-3", "acct-77", "acct-399", "nobody"]) {
      expect(await client.accountView(id, NOW)).toEqual(accountView(local, id, NOW));
    }
    const snapshot = await client.snapshot();
    expect(snapshot).toEqual(bookSnapshot(local));
    expect(snapshot.positionQty).toBeInstanceOf(Float64Array);
    const stats = await client.stats();
    expect(stats).toMatchObject({ markets: 3, accounts: 400, positions: local.positionCount, queueLength: local.queue.length });
  });

  it("pushes a change set after each mutation", async () => {
    pushed.length = 0;
    await client.applyPositions([{ accountId: "fresh", marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }]);
    await client.applyCollateral([{ accountId: "fresh", amount: 10 }]);
    await client.summary(); // a query: no change set
    expect(pushed).toHaveLength(2);
    expect(pushed[0]).toMatchObject({ accounts: 1, queueAdded: 1, summaryChanged: true, ids: { accounts: ["fresh"], queueAdded: ["fresh"] } });
    expect(pushed[1]).toMatchObject({ accounts: 1, queueChanged: 1, ids: { accounts: ["fresh"], queueChanged: ["fresh"] } });
    expect(pushed[1]!.seq).toBe(pushed[0]!.seq + 1);
  });

  it("price batches sent back to back are applied together and each answered; mutations keep their order", async () => {
    await client.applyPositions([{ accountId: "coalesce", marketId: "SOL-PERP", qty: 10, entryPrice: 150 }]);
    await client.applyCollateral([{ accountId: "coalesce", amount: 1000 }]);
    const sent = Array.from({ length: 20 }, (_, i) => client.applyPrices([{ marketId: "SOL-PERP", price: 150 + i }]));
    const bad = client.applyPrices([{ marketId: "SOL-PERP", price: Number.NaN }]).catch((e: unknown) => e);
    // A mutation sent after the held ticks applies them first: the stale flag is not overwritten.
    const stale = client.setStale([{ marketId: "SOL-PERP", stale: true }]);
    const results = await Promise.all(sent);
    await stale;
    for (const r of results) expect(r.touched).toBeGreaterThan(0);
    expect(await bad).toBeInstanceOf(RiskInputError);
    const view = (await client.accountView("coalesce", NOW))!;
    expect(view.positions[0]).toMatchObject({ markPrice: 169, unrealizedPnl: 190, stale: true });
    await client.applyPrices([{ marketId: "SOL-PERP", price: 169 }]);
    expect((await client.accountView("coalesce", NOW))!.positions[0]!.stale).toBe(false);
  });

  it("a bad batch is rejected with the field named and changes nothing", async () => {
    const before = await client.summary();
    const bad = client.applyPositions([
      { accountId: "x", marketId: "BTC-PERP", qty: 1, entryPrice: 60000 },
      { accountId: "y", marketId: "BTC-PERP", qty: 1, entryPrice: -1 },
    ]);
    await expect(bad).rejects.toBeInstanceOf(RiskInputError);
    await expect(bad).rejects.toThrow(/updates\[1\]\.entryPrice/);
    expect(await client.summary()).toEqual(before);
  });

  it("requests after close reject; pending ones reject when the worker stops", async () => {
    const other = await EngineClient.start({ markets: MARKETS, changeIntervalMs: null });
    const exits: Error[] = [];
    other.onExit((e) => exits.push(e));
    const pending = other.summary().catch((e: unknown) => e);
    await other.close();
    expect(await pending).toBeInstanceOf(Error);
    expect(String(await pending)).toMatch(/closed/);
    await expect(other.summary()).rejects.toThrow(/closed/);
    expect(exits).toHaveLength(1);
  });

  it("the desk's reads through the worker are the in-thread book's: histogram, queue changes, margin rows as transferred columns", async () => {
    const local = new LiveBook();
    for (const m of MARKETS) local.upsertMarket(m);
    const other = await EngineClient.start({ markets: MARKETS, changeIntervalMs: null });
    try {
      const { positions, collateral, ticks } = batches();
      for (const book of [local, other] as const) {
        const apply = <T,>(fn: (b: LiveBook | EngineClient) => T) => fn(book);
        await apply((b) => b.applyPrices(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! }))));
        await apply((b) => b.applyPositions(positions));
        await apply((b) => b.applyCollateral(collateral));
        await apply((b) => b.applyPrices(ticks[0]!));
      }
      expect(await other.histogram()).toEqual(ratioHistogram(local));
      // The worker's desk stream against the same producing half over the in-thread book.
      const published = new QueuePageDiff();
      expect(await other.queueChanges(NOW, 50, true)).toEqual(published.next(local.queue.page(NOW, 0, 50), true));
      // The worker re-plans the queue in the background, which recomputes its members' sums from
      // scratch (the drift guard): figures agree to rounding, not to the bit.
      const rows = await other.marginRows();
      const want = marginRows(local);
      expect(rows.accountIds).toEqual(want.accountIds);
      expect(rows.accountIds).toHaveLength(400);
      expect(rows.status).toEqual(want.status);
      expect(rows.equity).toBeInstanceOf(Float64Array);
      rows.accountIds.forEach((_, i) => {
        for (const key of ["collateral", "equity", "maintenanceMargin"] as const) {
          expect(closeTo(rows[key][i]!, want[key][i]!, Math.abs(want.maintenanceMargin[i]!) + Math.abs(want.collateral[i]!))).toBe(true);
        }
      });
      await other.applyPrices(ticks[1]!);
      local.applyPrices(ticks[1]!);
      expect(await other.queueChanges(NOW + 500, 50)).toEqual(published.next(local.queue.page(NOW + 500, 0, 50), false));
    } finally {
      await other.close();
    }
  });
});

describe("engine analytics thread", () => {
  it("stress, fund runway and liquidation map are lib/risk's results over the book as it was when asked", async () => {
    const client = await EngineClient.start({ markets: MARKETS, changeIntervalMs: null });
    try {
      const local = new LiveBook();
      for (const m of MARKETS) local.upsertMarket(m);
      const { positions, collateral } = batches();
      const marks = MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! }));
      for (const b of [client, local] as const) {
        await b.applyPrices(marks);
        await b.applyPositions(positions);
        await b.applyCollateral(collateral);
      }
      const snapshot = bookSnapshot(local);
      const shocks = { "BTC-PERP": -0.08, "ETH-PERP": 0.05 };
      // Asked before a price move: answered over the book as it was.
      const stress = client.stress(shocks, 250_000, 20);
      const runway = client.fundRunway(1_000_000);
      const map = client.liquidationMap("ETH-PERP");
      await client.applyPrices([{ marketId: "BTC-PERP", price: 50_000 }]);
      expect(await stress).toEqual(stressOfSnapshot(snapshot, shocks, 250_000, 20));
      expect(await runway).toEqual(fundRunway(snapshot, 1_000_000));
      expect(await map).toEqual(liquidationMapOfSnapshot(snapshot, "ETH-PERP"));
      expect((await stress).shock.liquidatableAccounts).toBeGreaterThan(0);
      expect(await client.liquidationMap("DOGE-PERP")).toBeNull();
    } finally {
      await client.close();
    }
  }, 60_000);

  it("while the analytics thread runs a stress of a large book, price batches are applied and queries answered", async () => {
    const client = await EngineClient.start({ markets: MARKETS, changeIntervalMs: null });
    try {
      const rand = mulberry(7);
      const compiled = MARKETS.map(compileMarket);
      const positions: PositionUpdate[] = [];
      const collateral: CollateralUpdate[] = [];
      for (let a = 0; a < 30_000; a++) {
        MARKETS.forEach((m, i) => {
          positions.push({ accountId: `big-${a}`, marketId: m.id, qty: qtyOfLots(compiled[i]!, 1 + Math.floor(rand() * 20_000)) * (rand() < 0.5 ? -1 : 1), entryPrice: PRICES[m.id]! });
        });
        collateral.push({ accountId: `big-${a}`, amount: 500 + rand() * 20_000 });
      }
      await client.applyPrices(MARKETS.map((m) => ({ marketId: m.id, price: PRICES[m.id]! })));
      await client.applyPositions(positions);
      await client.applyCollateral(collateral);
      await client.fundRunway(0); // the analytics thread is up
      let stressDone = false;
      const stress = client.stress({ "BTC-PERP": -0.25, "ETH-PERP": -0.25, "SOL-PERP": -0.25 }, 0, 50).then((r) => {
        stressDone = true;
        return r;
      });
      const { touched } = await client.applyPrices([{ marketId: "BTC-PERP", price: 60_500 }]);
      const summary = await client.summary();
      expect(stressDone).toBe(false);
      expect(touched).toBe(30_000);
      expect(summary.accounts).toBe(30_000);
      expect((await stress).cascade.rounds.length).toBeGreaterThan(0);
    } finally {
      await client.close();
    }
  }, 120_000);
});

describe("engine worker change sets", () => {
  it("a change to few accounts goes out at once; a change to many waits for the interval", async () => {
    const [big, small] = [MARKETS[0]!, MARKETS[1]!];
    const other = await EngineClient.start({ markets: MARKETS, changeIntervalMs: 60_000 });
    const sets: ChangeSet[] = [];
    other.onChanges((c) => sets.push(c));
    const next = (count: number) => new Promise<void>((resolve) => {
      const poll = setInterval(() => sets.length >= count && (clearInterval(poll), resolve()), 5);
    });
    try {
      await other.applyPrices([{ marketId: big.id, price: PRICES[big.id]! }, { marketId: small.id, price: PRICES[small.id]! }]);
      // 300 holders of one market (more than a change set names) and one holder of the other.
      const many = Array.from({ length: 300 }, (_, a): PositionUpdate => ({ accountId: `many-${a}`, marketId: big.id, qty: 1, entryPrice: PRICES[big.id]! }));
      await other.applyPositions(many);
      await other.applyCollateral(many.map((p) => ({ accountId: p.accountId, amount: 1e6 })));
      await new Promise((r) => setTimeout(r, 300));
      expect(sets).toHaveLength(0);
      // One account's position: out at once, with everything pending.
      await other.applyPositions([{ accountId: "one", marketId: small.id, qty: 1, entryPrice: PRICES[small.id]! }]);
      await next(1);
      expect(sets[0]!.accounts).toBe(301);
      // A tick of the market only "one" holds: out at once.
      await other.applyPrices([{ marketId: small.id, price: PRICES[small.id]! * 1.01 }]);
      await next(2);
      expect(sets[1]!.accounts).toBe(1);
      expect(sets[1]!.ids?.accounts).toEqual(["one"]);
      // A tick of the market the 300 hold: coalesced, still pending 300 ms later.
      await other.applyPrices([{ marketId: big.id, price: PRICES[big.id]! * 1.01 }]);
      await new Promise((r) => setTimeout(r, 300));
      expect(sets).toHaveLength(2);
      expect((await other.drainChanges()).accounts).toBe(300);
    } finally {
      await other.close();
    }
  });

  it("a market of few holders is revalued before the larger ones pending with it: its change set goes out first, alone", async () => {
    const [big, small] = [MARKETS[0]!, MARKETS[1]!];
    const other = await EngineClient.start({ markets: MARKETS, changeIntervalMs: 60_000 });
    const sets: ChangeSet[] = [];
    other.onChanges((c) => sets.push(c));
    try {
      await other.applyPrices([{ marketId: big.id, price: PRICES[big.id]! }, { marketId: small.id, price: PRICES[small.id]! }]);
      const many = Array.from({ length: 300 }, (_, a): PositionUpdate => ({ accountId: `many-${a}`, marketId: big.id, qty: 1, entryPrice: PRICES[big.id]! }));
      await other.applyPositions([...many, { accountId: "one", marketId: small.id, qty: 1, entryPrice: PRICES[small.id]! }]);
      await other.drainChanges();
      // One batch, the large market first: the small one is applied first, and its urgent change set names only its holder.
      const answer = await other.applyPrices([{ marketId: big.id, price: PRICES[big.id]! * 1.01 }, { marketId: small.id, price: PRICES[small.id]! * 1.01 }]);
      // The batch is answered once both are applied.
      expect(answer.touched).toBe(301);
      await vi.waitFor(() => expect(sets.length).toBeGreaterThan(0), { timeout: 5000, interval: 5 });
      expect(sets[0]!.ids?.accounts).toEqual(["one"]);
      expect((await other.drainChanges()).accounts).toBe(300);
    } finally {
      await other.close();
    }
  });
});

