/**
 * A large what-if for `POST /api/v1/risk/evaluate` (bench/whatif-health.ts): the spec example's
 * markets and prices (spec §10, /work/shared/spec/examples/cross-margin.scenario.json shape) and
 * `accounts` accounts of one or two positions each, drawn from a fixed seed. 90,000 accounts are
 * about 10 MB of JSON (just under the 10 MiB body limit), the request that stalled `/api/health`
 * in issue 15.
 */
import { mulberry32 } from "./prng";

const MARKETS = [
  {
    id: "BTC-PERP", lotSize: 0.001, tickSize: 0.1, liquidationFeeRate: 0.001,
    tiers: [{ maxNotional: 50000, mmr: 0.004, maxLeverage: 125 }, { maxNotional: 250000, mmr: 0.005, maxLeverage: 100 },
      { maxNotional: 1000000, mmr: 0.01, maxLeverage: 50 }, { maxNotional: null, mmr: 0.025, maxLeverage: 20 }],
    liquidity: { halfSpreadBps: 1, depthPer1Pct: 2000000 },
  },
  {
    id: "ETH-PERP", lotSize: 0.01, tickSize: 0.01, liquidationFeeRate: 0.0015,
    tiers: [{ maxNotional: 10000, mmr: 0.005, maxLeverage: 100 }, { maxNotional: 100000, mmr: 0.0065, maxLeverage: 75 },
      { maxNotional: null, mmr: 0.02, maxLeverage: 25 }],
    liquidity: { halfSpreadBps: 2, depthPer1Pct: 800000 },
  },
];
const PRICES: Record<string, number> = { "BTC-PERP": 60000, "ETH-PERP": 3000 };

/** The scenario as JSON text (what a trader's client sends). */
export function largeWhatIf(accounts: number, seed = 20261207): string {
  const rand = mulberry32(seed);
  const list = [];
  for (let i = 0; i < accounts; i++) {
    const positions = [];
    const legs = rand() < 0.15 ? 2 : 1;
    for (let l = 0; l < legs; l++) {
      const m = MARKETS[(i + l) % MARKETS.length]!;
      const price = PRICES[m.id]!;
      const lots = 1 + Math.floor(rand() * 2000);
      const qty = Number((lots * m.lotSize * (rand() < 0.5 ? -1 : 1)).toFixed(3));
      const entryPrice = Number((price * (0.95 + rand() * 0.1)).toFixed(1));
      positions.push({ marketId: m.id, qty, entryPrice });
    }
    list.push({ id: `w-${i}`, collateral: Math.round(100 + rand() * 20000), positions });
  }
  return JSON.stringify({ markets: MARKETS, prices: PRICES, accounts: list });
}
