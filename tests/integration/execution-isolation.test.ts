import { describe, expect, it } from "vitest";
import { BEYOND_DEPTH } from "@/lib/risk";
import { serverMetrics } from "@/lib/server/metrics";
import type { Runtime } from "@/lib/server/runtime";
import type { TestDatabase } from "../support/test-database";
import { engineOf, engineSettled, setMark, startTestRuntime, perTestRuntime } from "../support/test-runtime";

async function openAccount(runtime: Runtime, id: string, collateral: string, positions: { marketId: string; qty: number; entryPrice: number }[]) {
  await runtime.services.ingest.collateral({ entries: [{ accountId: id, amount: collateral, kind: "deposit", idempotencyKey: `dep:${id}` }] });
  await runtime.services.ingest.positions({ source: "venue", updates: positions.map((p, i) => ({ accountId: id, ...p, seq: i + 1 })) });
}

const openQty = async (db: TestDatabase, accountId: string) =>
  (await db.prisma.position.findMany({ where: { accountId } })).reduce((s, p) => s + Math.abs(p.qty.toNumber()), 0);

/**
 * One account whose step cannot execute never stops the executor (issue 15, probe finding): the
 * rest of the queue is liquidated in the same pass and the account is paused with the reason.
 */
describe("executor isolation on PostgreSQL", () => {
  const t = perTestRuntime();

  it("a whale whose full close is beyond the book's depth is paused with that reason; a backstop account behind it is liquidated in the same pass", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000000");
    await setMark(t.runtime, "BTC-PERP", 70000);
    // 700 M of notional against a depthPer1Pct of 2 M: a(X) = 0.0001 + 0.005 · 350 > 1.
    await openAccount(t.runtime, "whale", "1000000", [{ marketId: "BTC-PERP", qty: 10000, entryPrice: 70000 }]);
    await openAccount(t.runtime, "normal", "1000", [{ marketId: "BTC-PERP", qty: 1, entryPrice: 70000 }]);
    await setMark(t.runtime, "BTC-PERP", 69100); // normal: equity 100 < 2/3 · MM 276.4 (backstop); whale bankrupt
    await engineSettled(t.runtime);
    const now = Date.now();
    const before = (await engineOf(t.runtime).client.queue(now)).items;
    expect(before.map((q) => [q.accountId, q.status, q.mode])).toEqual([["whale", "bankrupt", "full"], ["normal", "backstop", "full"]]);
    expect(before[0]).toMatchObject({ paused: true, pausedReason: `${BEYOND_DEPTH}: BTC-PERP` });
    expect(before[0]!.plan.unexecutable).toBe(`${BEYOND_DEPTH}: BTC-PERP`);
    expect(before[0]!.nextStep!.beyondDepth).toBe(true);

    expect(await engineOf(t.runtime).executeDueSteps(now)).toBe(1);
    expect(await openQty(t.db, "normal")).toBe(0);
    expect(await openQty(t.db, "whale")).toBe(10000);
    const events = await t.db.prisma.liquidationEvent.findMany();
    expect(events.map((e) => e.accountId)).toEqual(["normal"]);
    const after = (await engineOf(t.runtime).client.queue(now)).items;
    expect(after.map((q) => [q.accountId, q.paused])).toEqual([["whale", true]]);
    expect((await engineOf(t.runtime).client.summary()).queue.paused).toBe(1);
  });

  it("a step the database refuses pauses that account (execution failed: reason) for the cool-down and retries it; the rest of the queue runs", async () => {
    t.runtime = await startTestRuntime(t.db, {}, "1000000");
    await setMark(t.runtime, "BTC-PERP", 60000);
    await openAccount(t.runtime, "jammed", "500", [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }]);
    await openAccount(t.runtime, "normal", "1000", [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }]);
    // The venue refuses every step of one account (a real error from PostgreSQL, not a mock).
    await t.db.prisma.$executeRawUnsafe(`
      CREATE FUNCTION refuse_jammed() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'venue refused the order'; END $$`);
    await t.db.prisma.$executeRawUnsafe(`
      CREATE TRIGGER refuse_jammed BEFORE INSERT ON liquidation_events
        FOR EACH ROW WHEN (NEW.account_id = 'jammed') EXECUTE FUNCTION refuse_jammed()`);
    await setMark(t.runtime, "BTC-PERP", 59100); // jammed bankrupt (first in the queue), normal backstop
    await engineSettled(t.runtime);
    const now = Date.now();
    expect((await engineOf(t.runtime).client.queue(now)).items.map((q) => [q.accountId, q.paused])).toEqual([["jammed", false], ["normal", false]]);
    const failures = async () => (await serverMetrics().liquidationStepFailures.get()).values[0]?.value ?? 0;
    const failedBefore = await failures();

    expect(await engineOf(t.runtime).executeDueSteps(now)).toBe(1);
    expect(await openQty(t.db, "normal")).toBe(0);
    expect(await openQty(t.db, "jammed")).toBe(1);
    expect(await failures()).toBe(failedBefore + 1);
    const held = (await engineOf(t.runtime).client.queue(now + 1000)).items;
    expect(held).toHaveLength(1);
    expect(held[0]).toMatchObject({ accountId: "jammed", paused: true });
    expect(held[0]!.pausedReason).toMatch(/^execution failed: .*venue refused the order/);
    expect((await engineOf(t.runtime).client.summary()).queue.paused).toBe(1);

    // Held out during the cool-down: no retry, no new failure.
    expect(await engineOf(t.runtime).executeDueSteps(now + 1000)).toBe(0);
    expect(await failures()).toBe(failedBefore + 1);

    // After it, retried: once the venue accepts, it is liquidated and the pause is gone.
    await t.db.prisma.$executeRawUnsafe(`DROP TRIGGER refuse_jammed ON liquidation_events`);
    const later = now + engineOf(t.runtime).params.cooldownMs;
    expect(await engineOf(t.runtime).executeDueSteps(later)).toBe(1);
    expect(await openQty(t.db, "jammed")).toBe(0);
    expect((await engineOf(t.runtime).client.queue(later)).items).toEqual([]);
  });
});
