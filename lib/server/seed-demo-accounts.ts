import "server-only";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-batch";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { demoTraderAccounts } from "@/lib/sim/demo-trader-accounts";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { Runtime } from "./runtime";

/** The demo venue's position feed name. */
export const SIM_VENUE_SOURCE = "sim-venue";

/**
 * First start with the simulator on: the demo account population and the demo traders' own two
 * accounts (lib/sim/demo-trader-accounts.ts: one comfortable, one in warning), fed through the same
 * collateral and position ingest paths a venue uses, `count` accounts in all. Does nothing when
 * any account exists.
 */
export async function seedDemoAccounts(runtime: Runtime, count: number, seed: number): Promise<number> {
  if (count === 0 || (await runtime.prisma.account.count()) > 0) return 0;
  const prices = new Map(runtime.markets.views(Date.now()).flatMap((m) => (m.mark === null ? [] : [[m.id, m.mark] as const])));
  const markets = seedMarkets.filter((m) => runtime.markets.has(m.id));
  // `count` accounts in all: the demo traders' own two and the population.
  const traders = demoTraderAccounts(markets, prices);
  const own = new Set(traders.collateral.map((c) => c.accountId)).size;
  const book = generateAccountPopulation({ markets, prices, count: Math.max(0, count - own), seed });
  const population = { collateral: [...book.collateral, ...traders.collateral], positions: [...book.positions, ...traders.positions] };
  for (let i = 0; i < population.collateral.length; i += MAX_BATCH_ITEMS) {
    await runtime.ingestCollateral({ entries: population.collateral.slice(i, i + MAX_BATCH_ITEMS) });
  }
  for (let i = 0; i < population.positions.length; i += MAX_BATCH_ITEMS) {
    await runtime.ingestPositions({ source: SIM_VENUE_SOURCE, updates: population.positions.slice(i, i + MAX_BATCH_ITEMS) });
  }
  return book.collateral.length + own;
}
