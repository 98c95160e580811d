import type { MarketParams } from "./market-params";
import { parseLotSize } from "./lot-size";

/**
 * A market in the flat form the hot path reads: tier arrays as Float64Arrays (0-based tier index),
 * the maintenance amounts `cum` precomputed, the lot size split into exact units. Built once per
 * market config by `compileMarket`; never mutated.
 */
export interface CompiledMarket {
  readonly id: string;
  readonly params: MarketParams;
  readonly tierCount: number;
  /** Tier caps (`maxNotional`), the last one `Infinity` when unbounded. */
  readonly caps: Float64Array;
  /**
   * The maintenance rate of each tier as every formula uses it: `tiers[k].mmr + maintenanceFeeRate`
   * (spec §11; with the default fee rate 0 it is the tier's `mmr` exactly). So
   * `MM(N) = N·mmr[k] − cum[k]` and §4's `P_k` hold the fee term wherever they are computed.
   */
  readonly mmr: Float64Array;
  /** The tiers' own `mmr` (spec §2), without the fee term. */
  readonly tierMmr: Float64Array;
  /**
   * Maintenance amounts from the tiers' own `mmr`: `cum[0] = 0`,
   * `cum[k] = cum[k-1] + caps[k-1] * (tierMmr[k] - tierMmr[k-1])` (the fee term cancels out of it).
   */
  readonly cum: Float64Array;
  /** Spec §11: the closing fee counted in maintenance (0 when the market does not set it). */
  readonly maintenanceFeeRate: number;
  readonly maxLeverage: Float64Array;
  readonly lotSize: number;
  readonly lotDecimals: number;
  readonly lotUnits: number;
  readonly lotScale: number;
  readonly tickSize: number;
  readonly liquidationFeeRate: number;
  readonly halfSpreadBps: number;
  /** `halfSpreadBps / 10000`, the constant part of the average price impact (spec §5). */
  readonly halfSpread: number;
  readonly depthPer1Pct: number;
}

/**
 * Compiles validated market parameters (see `validateMarket`). Throws on a lot size that has no
 * exact decimal form; other parameters are taken as given.
 */
export function compileMarket(params: MarketParams): CompiledMarket {
  const lot = parseLotSize(params.lotSize);
  if (!lot) throw new RangeError(`market ${params.id}: lotSize ${params.lotSize} has no exact decimal form`);
  const n = params.tiers.length;
  if (n === 0) throw new RangeError(`market ${params.id}: no tiers`);
  const caps = new Float64Array(n);
  const mmr = new Float64Array(n);
  const tierMmr = new Float64Array(n);
  const fee = params.maintenanceFeeRate ?? 0;
  const cum = new Float64Array(n);
  const maxLeverage = new Float64Array(n);
  let previousCap = 0;
  let previousMmr = 0;
  let previousCum = 0;
  params.tiers.forEach((tier, k) => {
    const cap = tier.maxNotional ?? Infinity;
    caps[k] = cap;
    tierMmr[k] = tier.mmr;
    // `x + 0 === x`: with no fee term the rates are the tiers' own, bit for bit (spec §11).
    mmr[k] = tier.mmr + fee;
    maxLeverage[k] = tier.maxLeverage;
    cum[k] = k === 0 ? 0 : previousCum + previousCap * (tier.mmr - previousMmr);
    previousCap = cap;
    previousMmr = tier.mmr;
    previousCum = cum[k]!;
  });
  // Above every cap the last tier applies, so its cap is treated as unbounded.
  caps[n - 1] = Infinity;
  return {
    id: params.id,
    params,
    tierCount: n,
    caps,
    mmr,
    tierMmr,
    cum,
    maintenanceFeeRate: fee,
    maxLeverage,
    lotSize: lot.lotSize,
    lotDecimals: lot.lotDecimals,
    lotUnits: lot.lotUnits,
    lotScale: lot.lotScale,
    tickSize: params.tickSize,
    liquidationFeeRate: params.liquidationFeeRate,
    halfSpreadBps: params.liquidity.halfSpreadBps,
    halfSpread: params.liquidity.halfSpreadBps / 10000,
    depthPer1Pct: params.liquidity.depthPer1Pct,
  };
}
