import type { AccountInput, MarketBook } from "./account-input";
import { ACCOUNT_STATUSES, STATUS_LIQUIDATABLE, type AccountStatus } from "./account-status";
import { evaluateAccount } from "./evaluate-account";
import type { RiskParams } from "./risk-params";
import { smallestAmountAbove, topUpToSafe } from "./top-up-to-safe";

/**
 * Figures of an account that a top-up of its cross collateral changes: cross margin, the cross
 * part's status (spec §11: an isolated position is not helped by it; see `addMarginEffect`),
 * liquidation prices.
 */
export interface TopUpFigures {
  readonly collateral: number;
  readonly equity: number;
  readonly maintenanceMargin: number;
  readonly marginRatio: number | null;
  readonly status: AccountStatus;
  readonly inQueue: boolean;
  readonly positions: { marketId: string; markPrice: number; liquidationPrice: number | null }[];
}

/** The unit presets are rounded up to: a cent. */
const PRESET_UNIT = 0.01;

function figuresAt(account: AccountInput, markets: MarketBook, marks: ReadonlyMap<string, number>, params: RiskParams): TopUpFigures {
  const e = evaluateAccount(account, markets, marks, params);
  return {
    collateral: account.collateral,
    equity: e.equity,
    maintenanceMargin: e.maintenanceMargin,
    marginRatio: e.marginRatio,
    status: e.crossStatus ?? e.status,
    inQueue: ACCOUNT_STATUSES.indexOf(e.crossStatus ?? e.status) >= STATUS_LIQUIDATABLE,
    positions: e.positions.map((p) => ({ marketId: p.marketId, markPrice: marks.get(p.marketId)!, liquidationPrice: p.liquidationPrice })),
  };
}

/**
 * What adding `amount` of collateral does to an account at the given marks (spec §3, §4): its
 * figures before and after, and the presets of the top-up-to-safe calculation — the least
 * amounts, whole cents, strictly past the lines (out of the queue: ratio below 100%; healthy:
 * below `warnRatio`); null when the account is already past that line.
 */
export function topUpEffect(
  account: AccountInput,
  amount: number,
  markets: MarketBook,
  marks: ReadonlyMap<string, number>,
  params: RiskParams,
): { before: TopUpFigures; after: TopUpFigures; presets: { leaveQueue: number | null; healthy: number | null } } {
  const before = figuresAt(account, markets, marks, params);
  const after = amount === 0 ? before : figuresAt({ ...account, collateral: account.collateral + amount }, markets, marks, params);
  const preset = (targetRatio: number, past: boolean) =>
    past ? null : smallestAmountAbove(topUpToSafe(before.equity, before.maintenanceMargin, targetRatio), PRESET_UNIT);
  return {
    before,
    after,
    presets: {
      leaveQueue: preset(1, !before.inQueue),
      healthy: preset(params.warnRatio, before.status === "healthy"),
    },
  };
}
