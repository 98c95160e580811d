import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { persistPriceTicks } from "@/lib/server/ingest/ingest-prices";
import { seedDatabase } from "@/lib/server/seed";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("price ingest persistence", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
    await seedDatabase(db.prisma);
  });
  afterAll(() => db?.drop());

  const t0 = Date.parse("2026-11-22T10:00:00.000Z");

  it("keeps the latest price per source and folds ticks into exact 1-second candles", async () => {
    const result = await persistPriceTicks(db.prisma, "feed-a", [
      { marketId: "BTC-PERP", price: 60000.1, ts: t0 + 100 },
      { marketId: "BTC-PERP", price: 60010.3, ts: t0 + 400 },
      { marketId: "BTC-PERP", price: 59990.7, ts: t0 + 900 },
      { marketId: "BTC-PERP", price: 60001.2, ts: t0 + 1200 },
      { marketId: "ETH-PERP", price: 3000.01, ts: t0 + 100 },
    ]);
    expect(result).toEqual({ accepted: 5, ignored: 0, marketIds: ["BTC-PERP", "ETH-PERP"] });
    const latest = await db.prisma.latestPrice.findUniqueOrThrow({ where: { marketId_source: { marketId: "BTC-PERP", source: "feed-a" } } });
    expect(latest.price.toString()).toBe("60001.2");
    expect(latest.ts.getTime()).toBe(t0 + 1200);
    const candles = await db.prisma.priceTick.findMany({ where: { marketId: "BTC-PERP" }, orderBy: { bucket: "asc" } });
    expect(candles.map((c) => [c.bucket.getTime() - t0, c.open.toString(), c.high.toString(), c.low.toString(), c.close.toString(), c.count]))
      .toEqual([[0, "60000.1", "60010.3", "59990.7", "59990.7", 3], [1000, "60001.2", "60001.2", "60001.2", "60001.2", 1]]);
  });

  it("ignores a tick older than or as old as the source's latest, and another source is independent", async () => {
    const result = await persistPriceTicks(db.prisma, "feed-a", [
      { marketId: "BTC-PERP", price: 1, ts: t0 + 1100 },
      { marketId: "BTC-PERP", price: 2, ts: t0 + 1200 },
    ]);
    expect(result).toEqual({ accepted: 0, ignored: 2, marketIds: [] });
    const other = await persistPriceTicks(db.prisma, "feed-b", [{ marketId: "BTC-PERP", price: 60020, ts: t0 + 1100 }]);
    expect(other.accepted).toBe(1);
    const latest = await db.prisma.latestPrice.findMany({ where: { marketId: "BTC-PERP" }, orderBy: { source: "asc" } });
    expect(latest.map((l) => [l.source, l.price.toString()])).toEqual([["feed-a", "60001.2"], ["feed-b", "60020"]]);
    const second = await db.prisma.priceTick.findFirstOrThrow({ where: { marketId: "BTC-PERP", source: "feed-a", bucket: new Date(t0 + 1000) } });
    expect(second.count).toBe(1);
  });

  it("a tick of an unknown market violates the foreign key and the whole batch is rolled back", async () => {
    await expect(persistPriceTicks(db.prisma, "feed-c", [
      { marketId: "BTC-PERP", price: 60000, ts: t0 + 5000 },
      { marketId: "NOPE-PERP", price: 1, ts: t0 + 5000 },
    ])).rejects.toThrow();
    expect(await db.prisma.latestPrice.count({ where: { source: "feed-c" } })).toBe(0);
    expect(await db.prisma.priceTick.count({ where: { source: "feed-c" } })).toBe(0);
  });
});
