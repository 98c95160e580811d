import type { MarketParams } from "@/lib/risk";

/** The markets of the spec's examples (spec §2). */
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

export const MARKETS = [BTC, ETH, SOL];
export const PRICES: Record<string, number> = { "BTC-PERP": 60000, "ETH-PERP": 3000, "SOL-PERP": 150 };
