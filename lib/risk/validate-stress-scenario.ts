import { BOUNDS } from "@/lib/contracts/bounds";
import type { RiskIssue } from "./risk-issue";
import { MAX_ROUNDS_LIMIT, type StressScenario } from "./stress-scenario";
import { inRange } from "./range-issue";
import { validateScenario } from "./validate-scenario";

const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);

/**
 * `validateScenario` plus the stress fields: each shock names a market that has a price and is a
 * finite fraction `> -1` (a mark must stay above 0); `insuranceFund` finite and `>= 0`;
 * `maxRounds` a whole number in `[0, 1000]`.
 */
export function validateStressScenario(scenario: StressScenario): RiskIssue[] {
  const issues = validateScenario(scenario);
  const marketIds = new Set(scenario.markets.map((m) => m.id));
  for (const [id, shock] of Object.entries(scenario.shocks)) {
    if (!marketIds.has(id)) issues.push({ path: ["shocks", id], message: `unknown market ${id}` });
    else if (!Object.hasOwn(scenario.prices, id)) issues.push({ path: ["shocks", id], message: `no price for market ${id} in prices to shock` });
    if (!finite(shock)) issues.push({ path: ["shocks", id], message: `must be a finite number (got ${String(shock)})` });
    else if (shock <= -1) issues.push({ path: ["shocks", id], message: `must be > -1 (a fraction of the mark; got ${shock})` });
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
