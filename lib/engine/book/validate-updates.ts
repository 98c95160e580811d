import { RiskInputError, validateLotQuantity, type CompiledMarket, type RiskIssue } from "@/lib/risk";
import type { CollateralDelta, CollateralUpdate, PositionUpdate, PriceUpdate } from "../engine-types";

type MarketLookup = (marketId: string) => CompiledMarket | undefined;
const finite = (x: unknown): x is number => typeof x === "number" && Number.isFinite(x);
const nonEmpty = (x: unknown): x is string => typeof x === "string" && x.length > 0;

/**
 * Problems with a batch of engine updates, each at `[name, index, field]`. The engine checks a
 * whole batch before applying any of it, so a batch is applied whole or not at all.
 */
export function validatePrices(updates: readonly PriceUpdate[], market: MarketLookup, name = "ticks"): RiskIssue[] {
  const issues: RiskIssue[] = [];
  updates.forEach((u, i) => {
    if (!market(u.marketId)) issues.push({ path: [name, i, "marketId"], message: `unknown market ${String(u.marketId)}` });
    if (!finite(u.price) || u.price <= 0) issues.push({ path: [name, i, "price"], message: `must be a finite number > 0 (got ${String(u.price)})` });
  });
  return issues;
}

export function validatePositions(updates: readonly PositionUpdate[], market: MarketLookup, name = "updates"): RiskIssue[] {
  const issues: RiskIssue[] = [];
  updates.forEach((u, i) => {
    if (!nonEmpty(u.accountId)) issues.push({ path: [name, i, "accountId"], message: "must be a non-empty string" });
    const m = market(u.marketId);
    if (!m) issues.push({ path: [name, i, "marketId"], message: `unknown market ${String(u.marketId)}` });
    const qtyIssue = m ? validateLotQuantity(u.qty, m.lotSize) : finite(u.qty) ? null : `must be a finite number (got ${String(u.qty)})`;
    if (qtyIssue) issues.push({ path: [name, i, "qty"], message: qtyIssue });
    if (u.qty !== 0 && (!finite(u.entryPrice) || u.entryPrice <= 0)) {
      issues.push({ path: [name, i, "entryPrice"], message: `must be a finite number > 0 (got ${String(u.entryPrice)})` });
    }
  });
  return issues;
}

export function validateCollateral(updates: readonly CollateralUpdate[], name = "entries"): RiskIssue[] {
  const issues: RiskIssue[] = [];
  updates.forEach((u, i) => {
    if (!nonEmpty(u.accountId)) issues.push({ path: [name, i, "accountId"], message: "must be a non-empty string" });
    if (!finite(u.amount)) issues.push({ path: [name, i, "amount"], message: `must be a finite number (got ${String(u.amount)})` });
  });
  return issues;
}

export function validateDeltas(deltas: readonly CollateralDelta[], name = "deltas"): RiskIssue[] {
  const issues: RiskIssue[] = [];
  deltas.forEach((u, i) => {
    if (!nonEmpty(u.accountId)) issues.push({ path: [name, i, "accountId"], message: "must be a non-empty string" });
    if (!finite(u.delta)) issues.push({ path: [name, i, "delta"], message: `must be a finite number (got ${String(u.delta)})` });
  });
  return issues;
}

/** Most issues a rejected batch reports (the count of the rest follows). */
const MAX_ISSUES = 100;

/** Rejects a batch with its issues (`RiskInputError`, at most `MAX_ISSUES` of them named); does nothing when there are none. */
export function throwIfAny(issues: RiskIssue[]): void {
  if (issues.length === 0) return;
  if (issues.length <= MAX_ISSUES) throw new RiskInputError(issues);
  const rest = { path: issues[MAX_ISSUES]!.path.slice(0, 1), message: `and ${issues.length - MAX_ISSUES} more issues` };
  throw new RiskInputError([...issues.slice(0, MAX_ISSUES), rest]);
}
