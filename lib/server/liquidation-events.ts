import "server-only";
import type { LiquidationEventView } from "@/lib/contracts/desk";
import type { PrismaClient } from "./db/prisma-client";
/** The newest executed steps (all accounts, or one), newest first. */
export async function recentLiquidationEvents(prisma: PrismaClient, opts: { accountId?: string; limit: number }): Promise<LiquidationEventView[]> {
  const rows = await prisma.liquidationEvent.findMany({
    where: opts.accountId ? { accountId: opts.accountId } : {},
    orderBy: [{ executedAt: "desc" }, { id: "desc" }],
    take: opts.limit,
  });
  return rows.map((r) => ({
    id: r.id.toString(), accountId: r.accountId, marketId: r.marketId, side: r.side,
    qty: r.qty.toString(), price: r.price.toString(), markPrice: r.markPrice.toString(), notional: r.notional.toString(),
    fee: r.fee.toString(), slippage: r.slippage.toString(), realizedPnl: r.realizedPnl.toString(), deficit: r.deficit.toString(),
    mode: r.mode, executedAt: r.executedAt.getTime(),
  }));
}
