import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { persistCollateralEntries } from "@/lib/server/ingest/persist-collateral";
import { writeMarginSnapshots, type MarginSnapshotRow } from "@/lib/server/persistence/margin-snapshots";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("margin snapshots", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await persistCollateralEntries(db.prisma, Array.from({ length: 1000 }, (_, i) => ({
      accountId: `s${i}`, amount: "100", kind: "deposit" as const, idempotencyKey: `s${i}`,
    })));
  });
  afterAll(() => db?.drop());

  it("writes a batch of snapshots in one insert, keeping float figures and null ratios", async () => {
    const ts = Date.parse("2026-11-22T12:00:00.000Z");
    const rows: MarginSnapshotRow[] = [
      { accountId: "s0", ts, collateral: "100", equity: 60.5, maintenanceMargin: 192, marginRatio: 3.173553719008264, status: "backstop" },
      { accountId: "s1", ts, collateral: 100, equity: -1.25e-7, maintenanceMargin: 0.1, marginRatio: null, status: "bankrupt" },
    ];
    expect(await writeMarginSnapshots(db.prisma, rows)).toBe(2);
    const stored = await db.prisma.marginSnapshot.findMany({ orderBy: { accountId: "asc" } });
    expect(stored.map((s) => [s.accountId, s.ts.getTime(), s.collateral.toFixed(), s.equity.toFixed(), s.maintenanceMargin.toFixed(), s.marginRatio, s.status]))
      .toEqual([
        ["s0", ts, "100", "60.5", "192", 3.173553719008264, "backstop"],
        ["s1", ts, "100", "-0.000000125", "0.1", null, "bankrupt"],
      ]);
  });

  it("writes 50,000 rows in chunks of one transaction", async () => {
    const ts = Date.parse("2026-11-22T12:00:01.000Z");
    const rows: MarginSnapshotRow[] = Array.from({ length: 50_000 }, (_, i) => ({
      accountId: `s${i % 1000}`, ts: ts + Math.floor(i / 1000) * 1000, collateral: "100", equity: 100 - i / 1000,
      maintenanceMargin: 10, marginRatio: 10 / (100 - i / 1000), status: "healthy",
    }));
    const started = performance.now();
    expect(await writeMarginSnapshots(db.prisma, rows)).toBe(50_000);
    console.log(`50,000 margin snapshots written in ${(performance.now() - started).toFixed(0)} ms`);
    expect(await db.prisma.marginSnapshot.count()).toBe(50_002);
  });
});
