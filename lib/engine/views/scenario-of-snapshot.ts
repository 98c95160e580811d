import type { AccountInput, PositionInput, RiskScenario } from "@/lib/risk";
import type { BookSnapshot } from "../engine-types";
import type { UnknownAccounts } from "@/lib/contracts/book-views";

/**
 * The live state as a scenario of the evaluate contract (spec §10), the input of lib/risk
 * `evaluateScenario` and, with shocks added, of `stressTest` (spec §8). Markets that never had a
 * price get none (a scenario holding a position in one is rejected by the model's validation):
 * book-wide analytics take `pricedScenarioOfSnapshot` instead.
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
      const margin = snapshot.positionIsolatedMargin?.[r] ?? NaN;
      positions.push({
        marketId: snapshot.markets[snapshot.positionMarket[r]!]!.id,
        qty: snapshot.positionQty[r]!,
        entryPrice: snapshot.positionEntryPrice[r]!,
        ...(Number.isNaN(margin) ? {} : { marginMode: "isolated" as const, isolatedMargin: margin }),
      });
    }
    return { id, collateral: snapshot.collateral[a]!, positions };
  });
  return { markets: snapshot.markets, prices, params: snapshot.params, accounts };
}

/**
 * `scenarioOfSnapshot` without the accounts whose figures are unknown (spec §7 revision 2): an
 * account holding a non-zero position in a market that never had a price is left out of the
 * scenario, and counted in `unknownAccounts` with the never-priced markets held. The rest is the
 * priced sub-book, which the model evaluates as it would any scenario.
 */
export function pricedScenarioOfSnapshot(snapshot: BookSnapshot): { scenario: RiskScenario; unknownAccounts: UnknownAccounts } {
  const whole = scenarioOfSnapshot(snapshot);
  const unpriced = new Set<string>();
  const accounts = whole.accounts.filter((a) => {
    const missing = a.positions.filter((p) => p.qty !== 0 && !Object.hasOwn(whole.prices, p.marketId));
    for (const p of missing) unpriced.add(p.marketId);
    return missing.length === 0;
  });
  return {
    scenario: { ...whole, accounts },
    unknownAccounts: { count: whole.accounts.length - accounts.length, markets: [...unpriced].sort() },
  };
}
