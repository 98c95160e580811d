/** What the map needs of a position (an evaluated `PositionFigures` fits). */
export interface MapPosition {
  readonly marketId: string;
  readonly qty: number;
  readonly notional: number;
  readonly liquidationPrice: number | null;
}

export interface LiquidationMapBucket {
  /** Inclusive lower price of the bucket. */
  readonly priceFrom: number;
  /** Exclusive upper price of the bucket. */
  readonly priceTo: number;
  readonly longNotional: number;
  readonly shortNotional: number;
  readonly longCount: number;
  readonly shortCount: number;
}

export interface LiquidationMapSide {
  readonly longNotional: number;
  readonly shortNotional: number;
}

export interface LiquidationMap {
  readonly marketId: string;
  readonly markPrice: number;
  readonly bucketWidth: number;
  /** From `markPrice·(1 − rangeFraction)` up to `markPrice·(1 + rangeFraction)`, ascending. */
  readonly buckets: LiquidationMapBucket[];
  /** Notional whose liquidation price lies below / at or above the range. */
  readonly belowRange: LiquidationMapSide;
  readonly aboveRange: LiquidationMapSide;
  /** Notional with no liquidation price (`null`). */
  readonly withoutPrice: LiquidationMapSide;
}

export interface LiquidationMapOptions {
  /** Half-width of the range as a fraction of the mark (spec §9: 0.3). */
  readonly rangeFraction?: number;
  /** Bucket width as a fraction of the mark (spec §9: 0.005). */
  readonly bucketFraction?: number;
}

/**
 * Liquidation map of one market (spec §9): the current notional of every position in `marketId`,
 * bucketed by its liquidation price, longs and shorts apart, over ±30% of the mark in buckets of
 * 0.5% of the mark. Bucket `i` is `[lo + i·w, lo + (i+1)·w)` with `lo = mark·(1 − 0.3)`,
 * `w = 0.005·mark`. Positions of other markets are ignored.
 */
export function liquidationMap(
  marketId: string,
  markPrice: number,
  positions: Iterable<MapPosition>,
  options: LiquidationMapOptions = {},
): LiquidationMap {
  const range = options.rangeFraction ?? 0.3;
  const step = options.bucketFraction ?? 0.005;
  if (!(range > 0) || !(step > 0) || !(markPrice > 0)) throw new RangeError("liquidationMap: range, bucket and mark must be > 0");
  const count = Math.round((2 * range) / step);
  const low = markPrice * (1 - range);
  const width = markPrice * step;
  const high = low + count * width;
  const longN = new Float64Array(count);
  const shortN = new Float64Array(count);
  const longC = new Uint32Array(count);
  const shortC = new Uint32Array(count);
  let belowLong = 0, belowShort = 0, aboveLong = 0, aboveShort = 0, noneLong = 0, noneShort = 0;
  for (const p of positions) {
    if (p.marketId !== marketId || p.qty === 0) continue;
    const long = p.qty > 0;
    const price = p.liquidationPrice;
    if (price === null) {
      if (long) noneLong += p.notional;
      else noneShort += p.notional;
    } else if (price < low) {
      if (long) belowLong += p.notional;
      else belowShort += p.notional;
    } else if (price >= high) {
      if (long) aboveLong += p.notional;
      else aboveShort += p.notional;
    } else {
      const i = Math.min(count - 1, Math.floor((price - low) / width));
      if (long) {
        longN[i] = longN[i]! + p.notional;
        longC[i] = longC[i]! + 1;
      } else {
        shortN[i] = shortN[i]! + p.notional;
        shortC[i] = shortC[i]! + 1;
      }
    }
  }
  const buckets: LiquidationMapBucket[] = [];
  for (let i = 0; i < count; i++) {
    buckets.push({
      priceFrom: low + i * width,
      priceTo: low + (i + 1) * width,
      longNotional: longN[i]!,
      shortNotional: shortN[i]!,
      longCount: longC[i]!,
      shortCount: shortC[i]!,
    });
  }
  return {
    marketId,
    markPrice,
    bucketWidth: width,
    buckets,
    belowRange: { longNotional: belowLong, shortNotional: belowShort },
    aboveRange: { longNotional: aboveLong, shortNotional: aboveShort },
    withoutPrice: { longNotional: noneLong, shortNotional: noneShort },
  };
}
