import "server-only";
import type { PrismaClient } from "@/lib/server/db/prisma-client";

/** What ingest validation needs to know about a market; undefined for an unknown market. */
export type MarketLookup = (marketId: string) => { lotSize: number } | undefined;

/** Every market's lot size, read once from PostgreSQL (the table is small). */
export async function loadMarketLookup(prisma: PrismaClient): Promise<MarketLookup> {
  const rows = await prisma.market.findMany({ select: { id: true, lotSize: true } });
  const markets = new Map(rows.map((m) => [m.id, { lotSize: m.lotSize.toNumber() }]));
  return (marketId) => markets.get(marketId);
}
