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
  readonly mmr: Float64Array;
  /** Maintenance amounts: `cum[0] = 0`, `cum[k] = cum[k-1] + caps[k-1] * (mmr[k] - mmr[k-1])`. */
  readonly cum: Float64Array;
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
  const cum = new Float64Array(n);
  const maxLeverage = new Float64Array(n);
  let previousCap = 0;
  let previousMmr = 0;
  let previousCum = 0;
  params.tiers.forEach((tier, k) => {
    const cap = tier.maxNotional ?? Infinity;
    caps[k] = cap;
    mmr[k] = tier.mmr;
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
    cum,
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
