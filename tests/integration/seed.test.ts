import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "@/lib/server/seed";
import { seedMarkets } from "@/lib/sim/seed-markets";
import { createTestDatabase, type TestDatabase } from "../support/test-database";

describe("the first start's seed", () => {
  let fresh: TestDatabase;
  let venue: TestDatabase;
  beforeAll(async () => {
    [fresh, venue] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([fresh?.drop(), venue?.drop()]);
  });

  it("a database without markets gets the demo markets, once", async () => {
    expect(await seedDatabase(fresh.prisma)).toMatchObject({ marketsCreated: seedMarkets.length });
    expect(await seedDatabase(fresh.prisma)).toMatchObject({ marketsCreated: 0 });
    expect((await fresh.prisma.market.findMany({ orderBy: { id: "asc" } })).map((m) => m.id)).toEqual(seedMarkets.map((m) => m.id).sort());
  });

  it("a venue's database with markets of its own gets no demo market beside them (never priced, they would keep the desk's figures stale)", async () => {
    await venue.prisma.market.create({
      data: { id: "VENUE-PERP", baseAsset: "VEN", lotSize: "0.01", tickSize: "0.1", liquidationFeeRate: "0.005", tiers: seedMarkets[0]!.tiers, halfSpreadBps: "2", depthPer1Pct: "1000000" },
    });
    expect(await seedDatabase(venue.prisma)).toMatchObject({ marketsCreated: 0 });
    expect((await venue.prisma.market.findMany()).map((m) => m.id)).toEqual(["VENUE-PERP"]);
  });
});
