import { boundText, outOfRange } from "./bounds";
import type { RiskIssue } from "./risk-issue";

/** Adds an issue at `path` when `value` is outside `[min, max]` (lib/risk/bounds.ts): figures stay finite. */
export function inRange(issues: RiskIssue[], path: readonly (string | number)[], value: number, min: number, max: number, unit: string): void {
  const problem = outOfRange(value, min, max, unit);
  if (problem) issues.push({ path: [...path], message: problem });
}

/**
 * Adds an issue at `path` when an amount of money is neither 0 nor at least `minAbs` in absolute
 * value (a collateral of 5e-324 made a margin ratio of Infinity), or beyond ±`maxAbs`.
 */
export function moneyInRange(issues: RiskIssue[], path: readonly (string | number)[], value: number, range: { minAbs: number; maxAbs: number }): void {
  if (value !== 0 && Math.abs(value) < range.minAbs) {
    issues.push({ path: [...path], message: `must be 0 or at least ${boundText(range.minAbs)} USD in absolute value (got ${value})` });
  } else {
    inRange(issues, path, value, -range.maxAbs, range.maxAbs, "USD");
  }
}
