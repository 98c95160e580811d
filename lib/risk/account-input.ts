import type { CompiledMarket } from "./compile-market";

/** Spec §11: a position is `cross` (margined by the account's collateral) or `isolated` (its own margin). */
export const MARGIN_MODES = ["cross", "isolated"] as const;
export type MarginMode = (typeof MARGIN_MODES)[number];

/**
 * A position as given: signed quantity in base units (`+` long, `-` short), whole lots.
 * `marginMode` defaults to `cross`; an `isolated` position carries `isolatedMargin` (USD, finite,
 * the collateral assigned to it alone, spec §11), a cross one never does.
 */
export interface PositionInput {
  readonly marketId: string;
  readonly qty: number;
  readonly entryPrice: number;
  readonly marginMode?: MarginMode | undefined;
  readonly isolatedMargin?: number | undefined;
}

/**
 * An account as given: cross-margin collateral (USD) and its positions, at most one per market.
 * Isolated positions' margins are not part of `collateral`.
 */
export interface AccountInput {
  readonly id: string;
  readonly collateral: number;
  readonly positions: readonly PositionInput[];
}

/** The isolated margin of a position, or `null` for a cross one (spec §11). */
export function isolatedMarginOf(p: Pick<PositionInput, "marginMode" | "isolatedMargin">): number | null {
  return p.marginMode === "isolated" ? (p.isolatedMargin ?? null) : null;
}

/** Compiled markets by id. */
export type MarketBook = ReadonlyMap<string, CompiledMarket>;

/** Mark prices by market id. */
export type MarkPrices = ReadonlyMap<string, number>;
