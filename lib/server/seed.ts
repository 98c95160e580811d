import "server-only";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { seedInsuranceFund } from "@/lib/server/execution/insurance-fund";
import { seedAlertRules } from "@/lib/server/alerts/default-rules";

/**
 * First start: the demo markets, the insurance fund's initial capital and the default alert rules. Existing markets are
 * left as they are; the fund is seeded only while it has no entries at all.
 */
export async function seedDatabase(prisma: PrismaClient, insuranceFundSeed?: string): Promise<{ marketsCreated: number; fundSeeded: boolean }> {
  const fund = insuranceFundSeed ? await seedInsuranceFund(prisma, insuranceFundSeed) : null;
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
  await seedAlertRules(prisma);
  return { marketsCreated: count, fundSeeded: fund !== null };
}
