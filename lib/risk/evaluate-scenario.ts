import { evaluateAccount, type AccountEvaluation } from "./evaluate-account";
import { buildMarketBook } from "./market-book";
import { RiskInputError } from "./risk-issue";
import { resolveRiskParams } from "./risk-params";
import type { RiskScenario } from "./risk-scenario";
import { validateScenario } from "./validate-scenario";

/** The output of the evaluate contract (spec §10). */
export interface EvaluateResult {
  readonly accounts: AccountEvaluation[];
}

/**
 * Evaluates a scenario (spec §10): for every account, in input order, the figures of §3, its
 * positions with tier and liquidation price (§4), and its plan (§6). Throws `RiskInputError`
 * naming every invalid field when `validateScenario` finds problems; nothing is evaluated then.
 */
export function evaluateScenario(scenario: RiskScenario): EvaluateResult {
  const issues = validateScenario(scenario);
  if (issues.length > 0) throw new RiskInputError(issues);
  const markets = buildMarketBook(scenario.markets);
  const marks = new Map(Object.entries(scenario.prices));
  const params = resolveRiskParams(scenario.params);
  return { accounts: scenario.accounts.map((a) => evaluateAccount(a, markets, marks, params)) };
}
