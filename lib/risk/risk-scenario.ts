import type { AccountInput } from "./account-input";
import type { MarketParams } from "./market-params";
import type { RiskParams } from "./risk-params";

/** The input of the evaluate contract (spec §10). */
export interface RiskScenario {
  readonly markets: readonly MarketParams[];
  /** Mark price by market id; every market held by a position needs one. */
  readonly prices: Readonly<Record<string, number>>;
  /** Any parameter of spec §6; omitted ones take the defaults. */
  readonly params?: Partial<RiskParams> | undefined;
  readonly accounts: readonly AccountInput[];
}
