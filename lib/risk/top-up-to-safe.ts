import { parseLotSize } from "./lot-size";

/**
 * Least collateral that brings an account to margin ratio `targetRatio` (`MM / equity`).
 *
 * Collateral moves equity one for one and changes no tier, so the answer is closed-form:
 * `max(0, maintenanceMargin / targetRatio − equity)`. It is the amount that lands **exactly on**
 * the ratio (up to float rounding of one subtraction); 0 when the account is already at or below
 * it, or has no maintenance margin (no position).
 *
 * The spec's lines are strict: an account leaves the liquidation queue when its ratio is **below**
 * 1 (`equity > MM`), and is healthy when its ratio is **below** `warnRatio`. So topping up exactly
 * the returned amount lands on the line, not past it: the caller must add strictly more, e.g.
 * `smallestAmountAbove(topUpToSafe(...), 0.01)` for a cent-denominated ledger. With 0 returned and
 * the account exactly on the line, that is one unit.
 *
 * `targetRatio` must be finite and `> 0`.
 */
export function topUpToSafe(equity: number, maintenanceMargin: number, targetRatio: number): number {
  if (!(targetRatio > 0) || !Number.isFinite(targetRatio)) throw new RangeError(`targetRatio must be finite and > 0, got ${targetRatio}`);
  if (!(maintenanceMargin > 0)) return 0;
  const amount = maintenanceMargin / targetRatio - equity;
  return amount > 0 ? amount : 0;
}

/**
 * The smallest whole multiple of `unit` (a decimal such as 0.01) above `amount` by more than
 * float noise (a millionth of the unit, or 10⁻¹² of the amount), written with the unit's decimals:
 * what to actually top up so the ratio ends strictly below the target of `topUpToSafe`. Without
 * the margin an amount a hair under a whole cent (0.599999999999960 for 0.60, the equity having
 * cancelled 1,355.4 against 1,350 in float) was paid as 0.60, which lands on the target, not below.
 */
export function smallestAmountAbove(amount: number, unit: number): number {
  const u = parseLotSize(unit);
  if (!u) throw new RangeError(`unit must be a positive decimal, got ${unit}`);
  const valueOf = (n: number) => (n * u.lotUnits) / u.lotScale;
  const floor = amount + Math.max(unit * 1e-6, Math.abs(amount) * 1e-12);
  let n = Math.max(0, Math.floor(floor / unit));
  while (n > 0 && valueOf(n - 1) > floor) n--;
  while (valueOf(n) <= floor) n++;
  return valueOf(n);
}
