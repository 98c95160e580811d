import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "@/lib/server/logger";
import { MarginSnapshotter } from "@/lib/server/margin-snapshotter";
import type { Runtime } from "@/lib/server/runtime";
import { createTestDatabase, type TestDatabase } from "../support/test-database";
import { engineOf, engineSettled, setMark, startTestRuntime } from "../support/test-runtime";

describe("margin snapshots of a live runtime", () => {
  let db: TestDatabase;
  let runtime: Runtime;
  let snapshotter: MarginSnapshotter;

  beforeAll(async () => {
    db = await createTestDatabase();
    // The runtime's own snapshotter flushes once an hour here: this one is driven by hand.
    runtime = await startTestRuntime(db);
    snapshotter = new MarginSnapshotter(engineOf(runtime), db.prisma, createLogger("silent"));
    await setMark(runtime, "BTC-PERP", 60000);
    await setMark(runtime, "ETH-PERP", 3000);
    await runtime.services.ingest.collateral({
      entries: ["btc-1", "btc-2", "eth-1", "idle"].map((id, i) => ({ accountId: id, amount: String(1000 + 100 * i), kind: "deposit" as const, idempotencyKey: `dep-${id}` })),
    });
    await runtime.services.ingest.positions({
      source: "venue",
      updates: [
        { accountId: "btc-1", marketId: "BTC-PERP", qty: 1, entryPrice: 60000, seq: 1 },
        { accountId: "btc-2", marketId: "BTC-PERP", qty: -2, entryPrice: 60100, seq: 1 },
        { accountId: "eth-1", marketId: "ETH-PERP", qty: 30, entryPrice: 3050, seq: 1 },
      ],
    });
    await engineSettled(runtime);
  });
  afterAll(async () => {
    await runtime?.stop();
    await db?.drop();
  });

  it("a flush writes one row per account changed since its last row, with the engine's figures; then only what changed again", async () => {
    const t1 = Date.parse("2026-11-22T12:00:00Z");
    expect(await snapshotter.flush(t1)).toBe(4);
    const rows = await db.prisma.marginSnapshot.findMany({ where: { ts: new Date(t1) }, orderBy: { accountId: "asc" } });
    expect(rows.map((r) => r.accountId)).toEqual(["btc-1", "btc-2", "eth-1", "idle"]);
    for (const r of rows) {
      const view = (await engineOf(runtime).client.accountView(r.accountId, Date.now()))!;
      expect(r.equity.toNumber()).toBeCloseTo(view.equity!, 9);
      expect(r.maintenanceMargin.toNumber()).toBeCloseTo(view.maintenanceMargin!, 9);
      expect(r.marginRatio).toBe(view.marginRatio);
      expect(r.status).toBe(view.status);
    }

    expect(await snapshotter.flush(t1 + 5000)).toBe(0);
    await setMark(runtime, "BTC-PERP", 59000);
    await engineSettled(runtime);
    await engineOf(runtime).client.applyPrices([]); // the tick's revaluation has been applied
    expect(await snapshotter.flush(t1 + 10_000)).toBe(2);
    const second = await db.prisma.marginSnapshot.findMany({ where: { ts: new Date(t1 + 10_000) }, orderBy: { accountId: "asc" } });
    expect(second.map((r) => r.accountId)).toEqual(["btc-1", "btc-2"]);
  });
});
