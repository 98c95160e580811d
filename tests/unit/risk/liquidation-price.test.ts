import { describe, expect, it } from "vitest";
import { evaluateScenario, type MarketParams, type PositionInput } from "@/lib/risk";
import { BTC, ETH, PRICES, SOL } from "./helpers/markets";
import { refAccount, refTier } from "./helpers/reference-model";

const markets = [BTC, ETH, SOL];
const byId = new Map(markets.map((m) => [m.id, m]));

/** Liquidation prices of one account's positions, through the evaluate contract. */
function liquidationPrices(collateral: number, positions: PositionInput[], prices: Record<string, number> = PRICES) {
  const result = evaluateScenario({
    markets,
    prices: Object.fromEntries(markets.map((m) => [m.id, prices[m.id]!])),
    accounts: [{ id: "a", collateral, positions }],
  });
  return result.accounts[0]!.positions.map((p) => p.liquidationPrice);
}

/**
 * Collateral that puts the account exactly on maintenance margin when `marketId` trades at
 * `target` and every other market at its mark: then `target` is that position's liquidation price.
 */
function collateralLiquidatingAt(positions: PositionInput[], marketId: string, target: number, prices: Record<string, number>) {
  const at = refAccount(
    0,
    positions.map((p) => ({ market: byId.get(p.marketId)!, qty: p.qty, entryPrice: p.entryPrice, markPrice: p.marketId === marketId ? target : prices[p.marketId]! })),
  );
  return at.mm - at.equity;
}

const near = (actual: number | null | undefined, expected: number) => {
  expect(actual).not.toBeNull();
  expect(Math.abs(actual! - expected)).toBeLessThanOrEqual(1e-9 * expected);
};

describe("liquidation price (spec §4)", () => {
  const cases: { market: MarketParams; qty: number; notional: number; tier: number }[] = [];
  for (const market of markets) {
    market.tiers.forEach((tier, k) => {
      const low = k === 0 ? 0 : market.tiers[k - 1]!.maxNotional!;
      const high = tier.maxNotional ?? low * 4;
      for (const qty of [10, -10]) cases.push({ market, qty, notional: (low + high) / 2, tier: k + 1 });
    });
  }

  it.each(cases.map((c) => [c.qty > 0 ? "long" : "short", c.market.id, c.tier, c] as const))(
    "a %s in %s liquidates in tier %d at the price where equity meets maintenance margin",
    (_, __, tier, c) => {
      const target = c.notional / Math.abs(c.qty);
      // The position loses 5% of its notional on the way to the target from its entry.
      const entryPrice = c.qty > 0 ? target * 1.05 : target / 1.05;
      const positions = [{ marketId: c.market.id, qty: c.qty, entryPrice }];
      const prices = { ...PRICES, [c.market.id]: entryPrice };
      const collateral = collateralLiquidatingAt(positions, c.market.id, target, prices);
      expect(collateral).toBeGreaterThan(0);
      const [price] = liquidationPrices(collateral, positions, prices);
      near(price, target);
      expect(refTier(c.market, Math.abs(c.qty) * price!) + 1).toBe(tier);
    },
  );

  it.each([10, -10])("a liquidation exactly on a tier cap (qty %d) is priced in the lower tier", (qty) => {
    const target = 250000 / 10; // BTC tier 2 cap
    const entryPrice = qty > 0 ? target * 1.05 : target / 1.05;
    const positions = [{ marketId: "BTC-PERP", qty, entryPrice }];
    const prices = { ...PRICES, "BTC-PERP": entryPrice };
    const [price] = liquidationPrices(collateralLiquidatingAt(positions, "BTC-PERP", target, prices), positions, prices);
    near(price, target);
  });

  it("across margin, each leg's price holds every other market at its mark", () => {
    const positions = [
      { marketId: "BTC-PERP", qty: 3, entryPrice: 60500 },
      { marketId: "ETH-PERP", qty: -40, entryPrice: 2990 },
      { marketId: "SOL-PERP", qty: 200, entryPrice: 151 },
    ];
    const collateral = collateralLiquidatingAt(positions, "BTC-PERP", 57000, PRICES);
    const [btc, eth, sol] = liquidationPrices(collateral, positions);
    near(btc, 57000);
    // Each leg's own price puts the account exactly on maintenance margin, the others at mark.
    for (const [marketId, price] of [["ETH-PERP", eth], ["SOL-PERP", sol]] as const) {
      const at = refAccount(
        collateral,
        positions.map((p) => ({ market: byId.get(p.marketId)!, qty: p.qty, entryPrice: p.entryPrice, markPrice: p.marketId === marketId ? price! : PRICES[p.marketId as keyof typeof PRICES] })),
      );
      expect(Math.abs(at.equity - at.mm)).toBeLessThanOrEqual(1e-9 * at.scale);
    }
  });

  it("no liquidation price (null): a long that no fall can liquidate", () => {
    // Fully collateralised: equity at price 0 is collateral − qty·entry = 0, never below MM(0) = 0.
    expect(liquidationPrices(60000, [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }])).toEqual([null]);
    // One dollar less and the long does liquidate, near zero: 59000 + P − 60000 = 0.004·P.
    const [price] = liquidationPrices(59999, [{ marketId: "BTC-PERP", qty: 1, entryPrice: 60000 }]);
    near(price, 1 / 0.996);
  });

  it("no liquidation price (null): a short under maintenance even if its market went to zero", () => {
    const prices = { ...PRICES, "BTC-PERP": 30000 };
    const [btc, eth] = liquidationPrices(
      0,
      [
        { marketId: "BTC-PERP", qty: 1, entryPrice: 60000 },
        { marketId: "ETH-PERP", qty: -1, entryPrice: 3000 },
      ],
      prices,
    );
    expect(eth).toBeNull();
    expect(btc).not.toBeNull();
    expect(btc!).toBeGreaterThan(30000);
  });

  it("a short always has a price once it is above maintenance at price zero", () => {
    const [price] = liquidationPrices(100, [{ marketId: "ETH-PERP", qty: -1, entryPrice: 3000 }]);
    // 100 − (P − 3000) = 0.005·P (tier 1 while P·1 ≤ 10000).
    near(price, 3100 / 1.005);
  });
});
