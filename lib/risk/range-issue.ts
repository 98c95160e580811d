import { outOfRange } from "@/lib/contracts/bounds";
import type { RiskIssue } from "./risk-issue";

/** Adds an issue at `path` when `value` is outside `[min, max]` (lib/contracts/bounds.ts): figures stay finite. */
export function inRange(issues: RiskIssue[], path: readonly (string | number)[], value: number, min: number, max: number, unit: string): void {
  const problem = outOfRange(value, min, max, unit);
  if (problem) issues.push({ path: [...path], message: problem });
}
