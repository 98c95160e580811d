import type { AccountInput, MarketBook, MarkPrices } from "./account-input";
import { figuresOfResolved, isIsolated, resolvePositions } from "./account-figures";
import { ACCOUNT_STATUSES, STATUS_LIQUIDATABLE, type AccountStatus } from "./account-status";
import type { RiskParams } from "./risk-params";
import { smallestAmountAbove, topUpToSafe } from "./top-up-to-safe";

/** An isolated position's unit and the account's cross part around a margin move (spec §11). */
export interface AddMarginFigures {
  /** The account's cross collateral. */
  readonly collateral: number;
  readonly crossEquity: number;
  readonly crossStatus: AccountStatus;
  readonly isolatedMargin: number;
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly marginRatio: number | null;
  readonly status: AccountStatus;
  readonly inQueue: boolean;
  readonly liquidationPrice: number | null;
}

/**
 * "Add margin" to an isolated position (spec §11): `amount` moves from the account's cross
 * collateral into the position's `isolatedMargin` (a negative amount moves it back). The unit's
 * figures before and after, the cross part's collateral, equity and status around the move, and the
 * top-up-to-safe presets computed on the unit (whole cents strictly past the line: out of the
 * queue, healthy; null when already past it). Throws when `marketId` holds no open isolated position.
 * Whether the cross balance allows the move is the caller's rule (it sees `after.collateral`).
 */
export function addMarginEffect(
  account: AccountInput,
  marketId: string,
  amount: number,
  markets: MarketBook,
  marks: MarkPrices,
  params: RiskParams,
): { before: AddMarginFigures; after: AddMarginFigures; presets: { leaveQueue: number | null; healthy: number | null } } {
  const at = (moved: number): AddMarginFigures => {
    const resolved = resolvePositions(account, markets, marks).map((p) =>
      p.market.id === marketId && isIsolated(p) ? { ...p, isolatedMargin: p.isolatedMargin + moved } : p,
    );
    const i = resolved.findIndex((p) => p.market.id === marketId && isIsolated(p));
    if (i < 0) throw new RangeError(`account ${account.id}: no open isolated position in ${marketId}`);
    const collateral = account.collateral - moved;
    const f = figuresOfResolved(collateral, resolved, params);
    const unit = f.positions[i]!;
    const status = unit.status!;
    return {
      collateral,
      crossEquity: f.equity,
      crossStatus: f.crossStatus,
      isolatedMargin: unit.isolatedMargin!,
      equity: unit.equity!,
      maintenanceMargin: unit.maintenanceMargin,
      marginRatio: unit.marginRatio!,
      status,
      inQueue: ACCOUNT_STATUSES.indexOf(status) >= STATUS_LIQUIDATABLE,
      liquidationPrice: unit.liquidationPrice,
    };
  };
  const before = at(0);
  const after = amount === 0 ? before : at(amount);
  const preset = (targetRatio: number, past: boolean) =>
    past ? null : smallestAmountAbove(topUpToSafe(before.equity, before.maintenanceMargin, targetRatio), 0.01);
  return {
    before,
    after,
    presets: { leaveQueue: preset(1, !before.inQueue), healthy: preset(params.warnRatio, before.status === "healthy") },
  };
}
