/**
 * The markets a fresh Liqdesk starts with, in the parameter shape of spec §2, with the price the
 * simulator starts each one at and its annualised volatility. Tier tables follow the spec's
 * examples: larger notional, higher maintenance margin rate, lower leverage. `depthPer1Pct` is the
 * stress cascade's liquidity assumption (spec §8); the demo population is sized against it so that
 * each market's depth for 1% is a few percent of its open interest (docs/RISK-NOTES.md, "Demo
 * calibration").
 */
export interface SeedMarket {
  id: string;
  baseAsset: string;
  lotSize: number;
  tickSize: number;
  liquidationFeeRate: number;
  tiers: { maxNotional: number | null; mmr: number; maxLeverage: number }[];
  liquidity: { halfSpreadBps: number; depthPer1Pct: number };
  sim: { startPrice: number; annualVolatility: number };
}

const majorTiers = [
  { maxNotional: 50_000, mmr: 0.004, maxLeverage: 125 },
  { maxNotional: 250_000, mmr: 0.005, maxLeverage: 100 },
  { maxNotional: 1_000_000, mmr: 0.01, maxLeverage: 50 },
  { maxNotional: null, mmr: 0.025, maxLeverage: 20 },
];
const midTiers = [
  { maxNotional: 10_000, mmr: 0.005, maxLeverage: 100 },
  { maxNotional: 100_000, mmr: 0.0065, maxLeverage: 75 },
  { maxNotional: null, mmr: 0.02, maxLeverage: 25 },
];
const altTiers = [
  { maxNotional: 5_000, mmr: 0.01, maxLeverage: 50 },
  { maxNotional: 50_000, mmr: 0.02, maxLeverage: 25 },
  { maxNotional: 250_000, mmr: 0.05, maxLeverage: 10 },
  { maxNotional: null, mmr: 0.1, maxLeverage: 5 },
];

export const seedMarkets: SeedMarket[] = [
  { id: "BTC-PERP", baseAsset: "BTC", lotSize: 0.001, tickSize: 0.1, liquidationFeeRate: 0.001, tiers: majorTiers,
    liquidity: { halfSpreadBps: 1, depthPer1Pct: 2_000_000 }, sim: { startPrice: 60_000, annualVolatility: 0.6 } },
  { id: "ETH-PERP", baseAsset: "ETH", lotSize: 0.01, tickSize: 0.01, liquidationFeeRate: 0.0015, tiers: midTiers,
    liquidity: { halfSpreadBps: 2, depthPer1Pct: 800_000 }, sim: { startPrice: 3_000, annualVolatility: 0.75 } },
  { id: "SOL-PERP", baseAsset: "SOL", lotSize: 0.1, tickSize: 0.001, liquidationFeeRate: 0.002, tiers: altTiers,
    liquidity: { halfSpreadBps: 3, depthPer1Pct: 300_000 }, sim: { startPrice: 150, annualVolatility: 1.0 } },
  { id: "BNB-PERP", baseAsset: "BNB", lotSize: 0.01, tickSize: 0.01, liquidationFeeRate: 0.002, tiers: altTiers,
    liquidity: { halfSpreadBps: 3, depthPer1Pct: 250_000 }, sim: { startPrice: 600, annualVolatility: 0.7 } },
  { id: "XRP-PERP", baseAsset: "XRP", lotSize: 1, tickSize: 0.0001, liquidationFeeRate: 0.002, tiers: altTiers,
    liquidity: { halfSpreadBps: 4, depthPer1Pct: 200_000 }, sim: { startPrice: 0.6, annualVolatility: 0.9 } },
  { id: "DOGE-PERP", baseAsset: "DOGE", lotSize: 10, tickSize: 0.00001, liquidationFeeRate: 0.003, tiers: altTiers,
    liquidity: { halfSpreadBps: 5, depthPer1Pct: 120_000 }, sim: { startPrice: 0.15, annualVolatility: 1.2 } },
  { id: "AVAX-PERP", baseAsset: "AVAX", lotSize: 0.1, tickSize: 0.001, liquidationFeeRate: 0.003, tiers: altTiers,
    liquidity: { halfSpreadBps: 5, depthPer1Pct: 100_000 }, sim: { startPrice: 35, annualVolatility: 1.1 } },
  { id: "LINK-PERP", baseAsset: "LINK", lotSize: 0.1, tickSize: 0.001, liquidationFeeRate: 0.003, tiers: altTiers,
    liquidity: { halfSpreadBps: 5, depthPer1Pct: 100_000 }, sim: { startPrice: 15, annualVolatility: 1.0 } },
];
