import { runCascade, type CascadeReport } from "./cascade";
import { buildMarketBook } from "./market-book";
import type { MarketParams } from "./market-params";
import { RiskInputError } from "./risk-issue";
import { resolveRiskParams } from "./risk-params";
import { evaluateShock, type ShockReport } from "./stress";
import { stressAccountsOf } from "./stress-book";
import { DEFAULT_MAX_ROUNDS, type StressScenario } from "./stress-scenario";
import { validateStressScenario } from "./validate-stress-scenario";

/** Output of the stress command: the instantaneous shock, then the cascade from it. */
export interface StressResult {
  readonly shock: ShockReport;
  readonly cascade: CascadeReport;
  /**
   * The liquidity assumption of the run by market id (spec §8: shown beside every result): the
   * `depthPer1Pct` used (USD of net flow per 1% move) and whether it was overridden for this run.
   */
  readonly depth: Record<string, { readonly depthPer1Pct: number; readonly overridden: boolean }>;
}

/** Shocked marks: `mark · (1 + shock)` for every shocked market, others unchanged. */
export function shockMarks(prices: Readonly<Record<string, number>>, shocks: Readonly<Record<string, number>>): Map<string, number> {
  const marks = new Map(Object.entries(prices));
  for (const [id, shock] of Object.entries(shocks)) {
    const p = marks.get(id);
    if (p !== undefined) marks.set(id, p * (1 + shock));
  }
  return marks;
}

/**
 * Stress test of spec §8 on a scenario: shock the marks, report the accounts at the shocked marks
 * (`evaluateShock`), then run the cascade from there (`runCascade`). Throws `RiskInputError` on
 * invalid input.
 */
export function stressTest(scenario: StressScenario): StressResult {
  const issues = validateStressScenario(scenario);
  if (issues.length > 0) throw new RiskInputError(issues);
  return runStressTest(scenario);
}

/**
 * `stressTest` without input validation, for trusted live state: the engine's book is consistent
 * by construction but may hold what the evaluate/stress input contract rejects, such as an
 * account whose collateral is negative (bad debt the insurance fund could not pay).
 */
export function runStressTest(scenario: StressScenario): StressResult {
  const overrides = scenario.depthPer1Pct ?? {};
  const depthOf = (m: MarketParams) => (Object.hasOwn(overrides, m.id) ? overrides[m.id]! : m.liquidity.depthPer1Pct);
  const markets = buildMarketBook(scenario.markets.map((m) => ({ ...m, liquidity: { ...m.liquidity, depthPer1Pct: depthOf(m) } })));
  const params = resolveRiskParams(scenario.params);
  const marks = shockMarks(scenario.prices, scenario.shocks);
  const fund = scenario.insuranceFund ?? 0;
  const accounts = stressAccountsOf(scenario.accounts, markets);
  const shock = evaluateShock(accounts, marks, params, fund);
  const preShock = new Map(Object.entries(scenario.prices));
  const cascade = runCascade(accounts, markets, marks, params, fund, scenario.maxRounds ?? DEFAULT_MAX_ROUNDS, preShock);
  const depth = Object.fromEntries(scenario.markets.map((m) => [m.id, { depthPer1Pct: depthOf(m), overridden: Object.hasOwn(overrides, m.id) }]));
  return { shock, cascade, depth };
}
