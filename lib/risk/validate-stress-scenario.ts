import { BOUNDS } from "./bounds";
import type { RiskIssue } from "./risk-issue";
import { MAX_ROUNDS_LIMIT, SHOCK_MAX, SHOCK_MIN, type StressScenario } from "./stress-scenario";
import { inRange } from "./range-issue";
import { validateScenario } from "./validate-scenario";

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * `validateScenario` plus the stress fields: each shock names a market that has a price and is a
 * finite fraction in `[-0.99, 10]` (spec §8); each `depthPer1Pct` override names a market and is
 * finite and `> 0`; `insuranceFund` finite and `>= 0`; `maxRounds` a whole number in `[0, 1000]`.
 */
export function validateStressScenario(scenario: StressScenario): RiskIssue[] {
  const issues = validateScenario(scenario);
  const marketIds = new Set(scenario.markets.map((m) => m.id));
  for (const [id, shock] of Object.entries(scenario.shocks)) {
    if (!marketIds.has(id)) issues.push({ path: ["shocks", id], message: `unknown market ${id}` });
    else if (!Object.hasOwn(scenario.prices, id)) issues.push({ path: ["shocks", id], message: `no price for market ${id} in prices to shock` });
    if (!finite(shock)) issues.push({ path: ["shocks", id], message: `must be a finite number (got ${String(shock)})` });
    else if (shock < SHOCK_MIN || shock > SHOCK_MAX) issues.push({ path: ["shocks", id], message: shockRangeMessage(shock) });
  }
  for (const [id, depth] of Object.entries(scenario.depthPer1Pct ?? {})) {
    if (!marketIds.has(id)) issues.push({ path: ["depthPer1Pct", id], message: `unknown market ${id}` });
    if (!finite(depth)) issues.push({ path: ["depthPer1Pct", id], message: `must be a finite number (got ${String(depth)})` });
    else inRange(issues, ["depthPer1Pct", id], depth, BOUNDS.market.depthPer1Pct.min, BOUNDS.market.depthPer1Pct.max, "USD of notional per 1% move");
  }
  const fund = scenario.insuranceFund;
  if (fund !== undefined) {
    if (!finite(fund)) issues.push({ path: ["insuranceFund"], message: `must be a finite number (got ${String(fund)})` });
    else if (fund < 0) issues.push({ path: ["insuranceFund"], message: `must be >= 0 (got ${fund})` });
    else inRange(issues, ["insuranceFund"], fund, 0, BOUNDS.collateral.maxAbs, "USD");
  }
  const rounds = scenario.maxRounds;
  if (rounds !== undefined && (!Number.isInteger(rounds) || rounds < 0 || rounds > MAX_ROUNDS_LIMIT)) {
    issues.push({ path: ["maxRounds"], message: `must be a whole number in [0, ${MAX_ROUNDS_LIMIT}] (got ${String(rounds)})` });
  }
  return issues;
}

/** The message of a shock out of range, for every place that checks one. */
export function shockRangeMessage(shock: number): string {
  return `must be in [${SHOCK_MIN}, ${SHOCK_MAX}] (a fraction of the mark: −99% to +1000%; got ${shock})`;
}
