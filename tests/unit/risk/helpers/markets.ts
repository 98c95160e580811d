import type { MarketParams } from "@/lib/risk";

/** Market configs used by the table tests (the parameters of spec §2). */
export const BTC: MarketParams = {
  id: "BTC-PERP",
  lotSize: 0.001,
  tickSize: 0.1,
  liquidationFeeRate: 0.001,
  tiers: [
    { maxNotional: 50000, mmr: 0.004, maxLeverage: 125 },
    { maxNotional: 250000, mmr: 0.005, maxLeverage: 100 },
    { maxNotional: 1000000, mmr: 0.01, maxLeverage: 50 },
    { maxNotional: null, mmr: 0.025, maxLeverage: 20 },
  ],
  liquidity: { halfSpreadBps: 1, depthPer1Pct: 2000000 },
};

export const ETH: MarketParams = {
  id: "ETH-PERP",
  lotSize: 0.01,
  tickSize: 0.01,
  liquidationFeeRate: 0.0015,
  tiers: [
    { maxNotional: 10000, mmr: 0.005, maxLeverage: 100 },
    { maxNotional: 100000, mmr: 0.0065, maxLeverage: 75 },
    { maxNotional: null, mmr: 0.02, maxLeverage: 25 },
  ],
  liquidity: { halfSpreadBps: 2, depthPer1Pct: 800000 },
};

export const SOL: MarketParams = {
  id: "SOL-PERP",
  lotSize: 0.1,
  tickSize: 0.001,
  liquidationFeeRate: 0.002,
  tiers: [
    { maxNotional: 5000, mmr: 0.01, maxLeverage: 50 },
    { maxNotional: 50000, mmr: 0.015, maxLeverage: 33 },
    { maxNotional: null, mmr: 0.03, maxLeverage: 15 },
  ],
  liquidity: { halfSpreadBps: 5, depthPer1Pct: 300000 },
};

/** No liquidation fee and no spread: a close costs only its depth impact. */
export const ZERO_FEE: MarketParams = {
  id: "ZERO-PERP",
  lotSize: 1,
  tickSize: 0.01,
  liquidationFeeRate: 0,
  tiers: [
    { maxNotional: 20000, mmr: 0.02, maxLeverage: 25 },
    { maxNotional: null, mmr: 0.05, maxLeverage: 10 },
  ],
  liquidity: { halfSpreadBps: 0, depthPer1Pct: 1000000 },
};

export const PRICES = { "BTC-PERP": 60000, "ETH-PERP": 3000, "SOL-PERP": 150, "ZERO-PERP": 100 } as const;

/** A deep copy with changes, for building invalid configs. */
export function withChanges<T>(value: T, change: (copy: T) => void): T {
  const copy = structuredClone(value) as T;
  change(copy);
  return copy;
}
