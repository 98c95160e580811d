import type { CompiledMarket } from "./compile-market";

/** A position as given: signed quantity in base units (`+` long, `-` short), whole lots. */
export interface PositionInput {
  readonly marketId: string;
  readonly qty: number;
  readonly entryPrice: number;
}

/** An account as given: cross-margin collateral (USD) and its positions, at most one per market. */
export interface AccountInput {
  readonly id: string;
  readonly collateral: number;
  readonly positions: readonly PositionInput[];
}

/** Compiled markets by id. */
export type MarketBook = ReadonlyMap<string, CompiledMarket>;

/** Mark prices by market id. */
export type MarkPrices = ReadonlyMap<string, number>;
