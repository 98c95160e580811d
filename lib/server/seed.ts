import "server-only";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { PrismaClient } from "@/lib/server/db/prisma-client";
import { seedInsuranceFund } from "@/lib/server/execution/insurance-fund";
import { seedAlertRules } from "@/lib/server/alerts/default-rules";

/**
 * First start: the demo markets, the insurance fund's initial capital and the default alert rules.
 * The demo markets go only into a database without markets: a venue's own markets are left as
 * they are and get no demo markets beside them (never priced, they would keep every book figure
 * of the desk "stale" and every holder's figures unknown). The fund is seeded only while it has no
 * entries at all.
 */
export async function seedDatabase(prisma: PrismaClient, insuranceFundSeed?: string): Promise<{ marketsCreated: number; fundSeeded: boolean }> {
  const fund = insuranceFundSeed ? await seedInsuranceFund(prisma, insuranceFundSeed) : null;
  const { count } = (await prisma.market.count()) > 0 ? { count: 0 } : await prisma.market.createMany({
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
