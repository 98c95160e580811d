import "server-only";
import type { MarketParams } from "@/lib/risk";
import type { PrismaClient } from "./db/prisma-client";

type MarketRow = Awaited<ReturnType<PrismaClient["market"]["findMany"]>>[number];

/** A market row as the risk model's parameters (spec §2). */
export function marketParamsOf(m: MarketRow): MarketParams {
  return {
    id: m.id,
    lotSize: m.lotSize.toNumber(),
    tickSize: m.tickSize.toNumber(),
    liquidationFeeRate: m.liquidationFeeRate.toNumber(),
    // Spec §11; left out at 0 so that a market without the fee term reads exactly as before.
    ...(m.maintenanceFeeRate.isZero() ? {} : { maintenanceFeeRate: m.maintenanceFeeRate.toNumber() }),
    tiers: m.tiers as unknown as MarketParams["tiers"],
    liquidity: { halfSpreadBps: m.halfSpreadBps.toNumber(), depthPer1Pct: m.depthPer1Pct.toNumber() },
  };
}
