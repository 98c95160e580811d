import type { AccountInput, PositionInput, RiskScenario } from "../risk";
import type { BookSnapshot } from "./engine-types";

/**
 * The live state as a scenario of the evaluate contract (spec §10), the input of lib/risk
 * `evaluateScenario` and, with shocks added, of `stressTest` (spec §8). Markets that never had a
 * price get none (a scenario holding a position in one is rejected by the model's validation).
 */
export function scenarioOfSnapshot(snapshot: BookSnapshot): RiskScenario {
  const prices: Record<string, number> = {};
  snapshot.markets.forEach((m, i) => {
    const p = snapshot.marks[i]!;
    if (!Number.isNaN(p)) prices[m.id] = p;
  });
  const accounts: AccountInput[] = snapshot.accountIds.map((id, a) => {
    const positions: PositionInput[] = [];
    for (let r = snapshot.accountStart[a]!; r < snapshot.accountStart[a + 1]!; r++) {
      positions.push({
        marketId: snapshot.markets[snapshot.positionMarket[r]!]!.id,
        qty: snapshot.positionQty[r]!,
        entryPrice: snapshot.positionEntryPrice[r]!,
      });
    }
    return { id, collateral: snapshot.collateral[a]!, positions };
  });
  return { markets: snapshot.markets, prices, params: snapshot.params, accounts };
}
