/**
 * Market parameters of spec §2 (and §11's `maintenanceFeeRate`), as given in a scenario or a market config.
 * Plain data; `compileMarket` turns them into the flat form the hot path uses.
 */
export interface TierParams {
  /** Upper notional bound of the tier (inclusive, USD); `null` = unbounded (last tier only). */
  readonly maxNotional: number | null;
  /** Maintenance margin rate, a fraction (0.005 = 0.5%). */
  readonly mmr: number;
  readonly maxLeverage: number;
}

export interface LiquidityParams {
  readonly halfSpreadBps: number;
  /** Notional (USD) that moves the price by 1%. */
  readonly depthPer1Pct: number;
}

export interface MarketParams {
  readonly id: string;
  readonly lotSize: number;
  readonly tickSize: number;
  readonly liquidationFeeRate: number;
  /**
   * Spec §11: the fee of closing a position counted in its maintenance requirement
   * (`MM(N) = N·(mmr_k + maintenanceFeeRate) − cum_k`). Optional, default 0 (exactly §2), in `[0, 1)`.
   */
  readonly maintenanceFeeRate?: number | undefined;
  readonly tiers: readonly TierParams[];
  readonly liquidity: LiquidityParams;
}
