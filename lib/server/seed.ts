import "server-only";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { PrismaClient } from "@/lib/server/db/prisma-client";

/** First start: the demo markets. Existing markets are left as they are. */
export async function seedDatabase(prisma: PrismaClient): Promise<{ marketsCreated: number }> {
  const { count } = await prisma.market.createMany({
    skipDuplicates: true,
    data: seedMarkets.map((m) => ({
      id: m.id,
      baseAsset: m.baseAsset,
      lotSize: String(m.lotSize),
      tickSize: String(m.tickSize),
      liquidationFeeRate: String(m.liquidationFeeRate),
      tiers: m.tiers,
      halfSpreadBps: String(m.liquidity.halfSpreadBps),
      depthPer1Pct: String(m.liquidity.depthPer1Pct),
    })),
  });
  return { marketsCreated: count };
}
