import { describe, expect, it } from "vitest";
import { evaluateScenario } from "@/lib/risk";
import type { Runtime } from "@/lib/server/runtime";
import { engineOf, engineSettled, nextTs, setMark, startTestRuntime, perTestRuntime } from "../support/test-runtime";

const BTC = {
  id: "BTC-PERP", lotSize: 0.001, tickSize: 0.1, liquidationFeeRate: 0.001,
  tiers: [
    { maxNotional: 50000, mmr: 0.004, maxLeverage: 125 },
    { maxNotional: 250000, mmr: 0.005, maxLeverage: 100 },
    { maxNotional: 1000000, mmr: 0.01, maxLeverage: 50 },
    { maxNotional: null, mmr: 0.025, maxLeverage: 20 },
  ],
  liquidity: { halfSpreadBps: 1, depthPer1Pct: 2000000 },
};

async function openAccount(runtime: Runtime, id: string, collateral: string, positions: { marketId: string; qty: number; entryPrice: number }[]) {
  await runtime.services.ingest.collateral({ entries: [{ accountId: id, amount: collateral, kind: "deposit", idempotencyKey: `dep:${id}` }] });
  await runtime.services.ingest.positions({ source: "venue", updates: positions.map((p, i) => ({ accountId: id, ...p, seq: i + 1 })) });
}

describe("the live engine on PostgreSQL", () => {
  const t = perTestRuntime();

  it("ingest → engine → database round trip; after a restart the figures are the same", async () => {
    t.runtime = await startTestRuntime(t.db);
    await setMark(t.runtime, "BTC-PERP", 60000);
    await openAccount(t.runtime, "a1", "700", [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60300 }]);
    await openAccount(t.runtime, "a2", "20000", [{ marketId: "BTC-PERP", qty: 12, entryPrice: 61200 }]);
    await engineSettled(t.runtime);
    const expected = evaluateScenario({
      markets: [BTC], prices: { "BTC-PERP": 60000 },
      accounts: [{ id: "a1", collateral: 700, positions: [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60300 }] },
        { id: "a2", collateral: 20000, positions: [{ marketId: "BTC-PERP", qty: 12, entryPrice: 61200 }] }],
    });
    const before = await Promise.all(["a1", "a2"].map((id) => engineOf(t.runtime!).client.accountView(id, Date.now())));
    for (const [i, view] of before.entries()) {
      const e = expected.accounts[i]!;
      expect(view).toMatchObject({ equity: e.equity, maintenanceMargin: e.maintenanceMargin, status: e.status });
      expect(view!.liquidation!.nextStep?.qty ?? null).toBe(e.liquidation.nextStep?.qty ?? null);
      expect(view!.positions[0]!.liquidationPrice).toBeCloseTo(e.positions[0]!.liquidationPrice!, 6);
    }
    expect((await t.db.prisma.account.findUniqueOrThrow({ where: { id: "a2" } })).collateral.toString()).toBe("20000");

    await t.runtime.stop();
    t.runtime = await startTestRuntime(t.db);
    const after = await Promise.all(["a1", "a2"].map((id) => engineOf(t.runtime!).client.accountView(id, Date.now())));
    expect(after.map((v) => [v!.equity, v!.maintenanceMargin, v!.status, v!.liquidation]))
      .toEqual(before.map((v) => [v!.equity, v!.maintenanceMargin, v!.status, v!.liquidation]));
  });

  it("one outlying source does not move the median of three, and the engine values at the median", async () => {
    t.runtime = await startTestRuntime(t.db);
    const ts = nextTs();
    await t.runtime.services.ingest.prices({ source: "src-a", ticks: [{ marketId: "BTC-PERP", price: 60000, ts }] });
    await t.runtime.services.ingest.prices({ source: "src-b", ticks: [{ marketId: "BTC-PERP", price: 60010, ts }] });
    await t.runtime.services.ingest.prices({ source: "src-c", ticks: [{ marketId: "BTC-PERP", price: 1000, ts }] });
    await openAccount(t.runtime, "a1", "700", [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60300 }]);
    await engineSettled(t.runtime);
    const view = await engineOf(t.runtime).client.accountView("a1", Date.now());
    expect(view!.positions[0]!.markPrice).toBe(60000);
    expect(view!.status).toBe("healthy");
  });

  it("a stale market pauses its liquidations and resumes on a fresh price", async () => {
    t.runtime = await startTestRuntime(t.db, { LIQDESK_STALE_AFTER_MS: "1500" });
    await setMark(t.runtime, "BTC-PERP", 60000);
    await openAccount(t.runtime, "big", "20000", [{ marketId: "BTC-PERP", qty: 12, entryPrice: 61200 }]);
    await engineSettled(t.runtime);
    let queue = await engineOf(t.runtime).client.queue(Date.now());
    expect(queue.items.map((q) => [q.accountId, q.paused])).toEqual([["big", false]]);

    await new Promise((r) => setTimeout(r, 3000)); // no price for longer than staleAfterMs
    queue = await engineOf(t.runtime).client.queue(Date.now());
    expect(queue.items[0]).toMatchObject({ accountId: "big", paused: true, pausedReason: "stale price: BTC-PERP" });
    expect(await engineOf(t.runtime).executeDueSteps(Date.now())).toBe(0);
    expect(await t.db.prisma.liquidationEvent.count()).toBe(0);

    await setMark(t.runtime, "BTC-PERP", 60000);
    await engineSettled(t.runtime);
    queue = await engineOf(t.runtime).client.queue(Date.now());
    expect(queue.items[0]).toMatchObject({ accountId: "big", paused: false, pausedReason: null });
    expect(await engineOf(t.runtime).executeDueSteps(Date.now())).toBe(1);
  });

  it("a liquidatable account is stepped down until above maintenance margin, honouring cool-down and step cap, every step persisted", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000000");
    await setMark(t.runtime, "BTC-PERP", 60000);
    // 40 BTC long in tier 4, equity 30,000 against MM 43,700 (partial, not backstop): the plan closes
    // more than one step may, ceil(25% of 40,000 lots) = 10 BTC.
    await openAccount(t.runtime, "whale", "70000", [{ marketId: "BTC-PERP", qty: 40, entryPrice: 61000 }]);
    await engineSettled(t.runtime);
    const first = (await engineOf(t.runtime).client.queue(Date.now())).items[0]!;
    expect(first).toMatchObject({ accountId: "whale", mode: "partial" });
    expect(first.plan.closes[0]!.qty).toBeGreaterThan(10);
    expect(first.nextStep!.qty).toBe(10);

    let now = Date.now();
    const executedAt: number[] = [];
    for (let pass = 0; pass < 20; pass++) {
      const executed = await engineOf(t.runtime).executeDueSteps(now);
      if (executed) executedAt.push(now);
      const view = await engineOf(t.runtime).client.accountView("whale", now);
      if (view!.queue === null) break;
      const again = await engineOf(t.runtime).executeDueSteps(now + 1000); // inside the cool-down: nothing
      expect(again).toBe(0);
      now += 30_000;
    }
    const view = await engineOf(t.runtime).client.accountView("whale", now);
    expect(view!.equity).toBeGreaterThan(view!.maintenanceMargin!);
    expect(view!.queue).toBeNull();
    const events = await t.db.prisma.liquidationEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.length).toBe(executedAt.length);
    expect(events.length).toBeGreaterThanOrEqual(2);
    for (const [i, e] of events.entries()) {
      expect(Number(e.qty)).toBeLessThanOrEqual(10);
      if (i > 0) expect(e.executedAt.getTime() - events[i - 1]!.executedAt.getTime()).toBeGreaterThanOrEqual(30_000);
    }
    const position = await t.db.prisma.position.findUniqueOrThrow({ where: { accountId_marketId: { accountId: "whale", marketId: "BTC-PERP" } } });
    const closed = events.reduce((s, e) => s + Number(e.qty), 0);
    expect(Number(position.qty)).toBeCloseTo(40 - closed, 9);
    expect(view!.positions[0]!.qty).toBeCloseTo(Number(position.qty), 9);
    const account = await t.db.prisma.account.findUniqueOrThrow({ where: { id: "whale" } });
    expect(view!.collateral).toBeCloseTo(Number(account.collateral), 6);
  });
});

describe("mode full on PostgreSQL (spec §6.5)", () => {
  const t = perTestRuntime();

  it("an account in mode full is closed whole in one executor pass, even during a cool-down left by an earlier step", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000000");
    await setMark(t.runtime, "BTC-PERP", 60000);
    await setMark(t.runtime, "ETH-PERP", 3000);
    await openAccount(t.runtime, "deep", "1000", [
      { marketId: "BTC-PERP", qty: 1, entryPrice: 60000 },
      { marketId: "ETH-PERP", qty: 10, entryPrice: 3000 },
    ]);
    await setMark(t.runtime, "BTC-PERP", 59100); // equity 100: below the backstop line
    await engineSettled(t.runtime);
    const now = Date.now();
    await engineOf(t.runtime).client.markStepExecuted([{ accountId: "deep", now }]); // an earlier step's cool-down
    const entry = (await engineOf(t.runtime).client.queue(now + 1000)).items[0]!;
    expect(entry).toMatchObject({ accountId: "deep", mode: "full", cooldownRemainingMs: 0 });
    expect(entry.plan.closes).toHaveLength(2);

    expect(await engineOf(t.runtime).executeDueSteps(now + 1000)).toBe(1);
    const events = await t.db.prisma.liquidationEvent.findMany({ orderBy: { id: "asc" } });
    expect(events.map((e) => [e.marketId, e.mode, e.executedAt.getTime()]).sort()).toEqual([
      ["BTC-PERP", "full", now + 1000], ["ETH-PERP", "full", now + 1000],
    ]);
    const open = await t.db.prisma.position.findMany({ where: { accountId: "deep", NOT: { qty: 0 } } });
    expect(open).toEqual([]);
    const view = await engineOf(t.runtime).client.accountView("deep", now + 1000);
    expect(view!.positions).toEqual([]);
    expect(view!.queue).toBeNull();
  });
});
