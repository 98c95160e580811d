import "server-only";
import { MAX_BATCH_ITEMS } from "@/lib/contracts/ingest-prices";
import { generateAccountPopulation } from "@/lib/sim/account-population";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { Runtime } from "./runtime";

/** The demo venue's position feed name. */
export const SIM_VENUE_SOURCE = "sim-venue";

/**
 * First start with the simulator on: the demo account population, fed through the same collateral
 * and position ingest paths a venue uses. Does nothing when any account exists.
 */
export async function seedDemoAccounts(runtime: Runtime, count: number, seed: number): Promise<number> {
  if (count === 0 || (await runtime.prisma.account.count()) > 0) return 0;
  const prices = new Map(runtime.markets.views(Date.now()).flatMap((m) => (m.mark === null ? [] : [[m.id, m.mark] as const])));
  const population = generateAccountPopulation({
    markets: seedMarkets.filter((m) => runtime.markets.has(m.id)), prices, count, seed,
  });
  for (let i = 0; i < population.collateral.length; i += MAX_BATCH_ITEMS) {
    await runtime.ingestCollateral({ entries: population.collateral.slice(i, i + MAX_BATCH_ITEMS) });
  }
  for (let i = 0; i < population.positions.length; i += MAX_BATCH_ITEMS) {
    await runtime.ingestPositions({ source: SIM_VENUE_SOURCE, updates: population.positions.slice(i, i + MAX_BATCH_ITEMS) });
  }
  return count;
}
