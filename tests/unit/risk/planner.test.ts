import { describe, expect, it } from "vitest";
import { evaluateScenario, type AccountInput, type MarketParams, type RiskParams } from "@/lib/risk";
import { bruteForceSmallestLots } from "./helpers/brute-force";
import { BTC, ETH, PRICES, SOL, ZERO_FEE } from "./helpers/markets";
import { refCloseCost, refMM, refQty } from "./helpers/reference-model";

const ALL = [BTC, ETH, SOL, ZERO_FEE];

function evaluate(account: AccountInput, params?: Partial<RiskParams>, markets: MarketParams[] = ALL, prices: Record<string, number> = PRICES) {
  return evaluateScenario({ markets, prices, params, accounts: [account] }).accounts[0]!;
}

/** The expected close of `qty` at `mark`, from the formulas of spec §5. */
function expectedClose(m: MarketParams, side: "buy" | "sell", qty: number, mark: number) {
  const notional = qty * mark;
  const a = m.liquidity.halfSpreadBps / 10000 + (0.005 * notional) / m.liquidity.depthPer1Pct;
  return {
    marketId: m.id,
    side,
    qty,
    markPrice: mark,
    expectedPrice: side === "sell" ? mark * (1 - a) : mark * (1 + a),
    notional,
    slippageCost: notional * a,
    fee: m.liquidationFeeRate * notional,
  };
}

function expectCloseToMatch(actual: object | null, expected: ReturnType<typeof expectedClose>) {
  expect(actual).not.toBeNull();
  const a = actual as Record<string, unknown>;
  expect(Object.keys(a)).toEqual(Object.keys(expected));
  for (const [k, v] of Object.entries(expected)) {
    if (typeof v === "number" && k !== "qty") expect(Math.abs((a[k] as number) - v)).toBeLessThanOrEqual(1e-9 * Math.abs(v));
    else expect(a[k]).toBe(v);
  }
}

describe("the partial liquidation planner (spec §6)", () => {
  it("an account with no positions is healthy, with ratio 0, no health and nothing to do", () => {
    const a = evaluate({ id: "flat", collateral: 1000, positions: [{ marketId: "BTC-PERP", qty: 0, entryPrice: 50000 }] });
    expect(a).toMatchObject({ equity: 1000, maintenanceMargin: 0, initialMargin: 0, marginRatio: 0, health: null, status: "healthy", positions: [] });
    expect(a.liquidation).toEqual({ mode: "none", closes: [], nextStep: null, after: { equity: 1000, maintenanceMargin: 0 }, deficit: 0 });
  });

  it("an account above maintenance margin plans nothing: mode none, no closes, nextStep null, after = now", () => {
    // 0.8 BTC at 60000 bought at 60300: equity 540 − 240 = 300 > MM 48000 · 0.004 = 192.
    const a = evaluate({ id: "w", collateral: 540, positions: [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60300 }] });
    expect(a.equity).toBe(300);
    expect(a.liquidation).toEqual({ mode: "none", closes: [], nextStep: null, after: { equity: 300, maintenanceMargin: a.maintenanceMargin }, deficit: 0 });
  });

  it("mode follows status: none above MM, partial between backstop and MM, full below backstop", () => {
    const at = (equity: number) => {
      // 0.8 BTC at 60000 with no PnL: MM = 192.
      const a = evaluate({ id: "x", collateral: equity, positions: [{ marketId: "BTC-PERP", qty: 0.8, entryPrice: 60000 }] });
      return [a.status, a.liquidation.mode, a.liquidation.nextStep === null];
    };
    expect(at(1000)).toEqual(["healthy", "none", true]);
    expect(at(230)).toEqual(["warning", "none", true]); // 192 / 230 >= 0.8
    expect(at(192)).toEqual(["liquidatable", "partial", false]); // equity == MM is liquidatable
    expect(at(128)).toEqual(["liquidatable", "partial", false]); // exactly 2/3 of MM is not below it
    expect(at(127.99)).toEqual(["backstop", "full", false]);
    expect(at(0)).toEqual(["bankrupt", "full", false]);
  });

  it("a zero-fee market: the smallest close pays only depth impact and meets the target", () => {
    // 1000 units at 100 (entry 101): notional 100000 in tier 2, MM = 0.05·100000 − 20000·0.03 = 4400;
    // equity 5000 − 1000 = 4000. Closing x units costs 100x · 0.005 · 100x / 1e6 = 5e-5·x² and leaves
    // MM = 0.05 · 100(1000 − x) − 600, so the target is 4000 − 5e-5x² >= 1.2(4400 − 5x):
    // 5e-5x² − 6x + 1280 <= 0, whose smaller root is (6 − √(36 − 0.256)) / 1e-4.
    const a = evaluate({ id: "z", collateral: 5000, positions: [{ marketId: "ZERO-PERP", qty: 1000, entryPrice: 101 }] });
    expect(a.equity).toBe(4000);
    expect(a.maintenanceMargin).toBeCloseTo(4400, 9);
    const lots = Math.ceil((6 - Math.sqrt(36 - 4 * 5e-5 * 1280)) / 1e-4);
    expect(a.liquidation.mode).toBe("partial");
    expect(a.liquidation.closes).toHaveLength(1);
    expectCloseToMatch(a.liquidation.closes[0]!, expectedClose(ZERO_FEE, "sell", lots, 100));
    expect(a.liquidation.closes[0]!.fee).toBe(0);
    expect(a.liquidation.nextStep).toEqual(a.liquidation.closes[0]); // 100000 is not above largeNotional
  });

  it("a plan that closes one leg fully and another partly, largest MM first", () => {
    // ETH 20 at 3000 (MM 60000·0.0065 − 15 = 375) before BTC 0.5 at 60000 (MM 30000·0.004 = 120).
    // Equity 260: closing all of ETH (cost 124.5) leaves 135.5 < 1.2·120, so BTC is closed in part.
    const params = { backstopFraction: 0.5 };
    const a = evaluate(
      {
        id: "two",
        collateral: 260,
        positions: [
          { marketId: "BTC-PERP", qty: 0.5, entryPrice: 60000 },
          { marketId: "ETH-PERP", qty: 20, entryPrice: 3000 },
        ],
      },
      params,
    );
    expect(a.status).toBe("liquidatable");
    const { closes, mode, after } = a.liquidation;
    expect(mode).toBe("partial");
    expect(closes.map((c) => c.marketId)).toEqual(["ETH-PERP", "BTC-PERP"]);
    expectCloseToMatch(closes[0]!, expectedClose(ETH, "sell", 20, 3000));
    const equityAfterEth = 260 - refCloseCost(ETH, 60000);
    const btcLots = bruteForceSmallestLots(BTC, 500, 60000, equityAfterEth, 0, 0.2);
    expect(btcLots).toBeGreaterThan(0);
    expect(btcLots).toBeLessThan(500);
    expectCloseToMatch(closes[1]!, expectedClose(BTC, "sell", refQty(BTC, btcLots), 60000));
    expect(after.maintenanceMargin).toBeCloseTo(refMM(BTC, refQty(BTC, 500 - btcLots) * 60000), 9);
    expect(after.equity).toBeGreaterThanOrEqual(1.2 * after.maintenanceMargin);
    expect(a.liquidation.nextStep).toEqual(closes[0]);
  });

  it("a short is closed by a buy above the mark", () => {
    // −400 SOL at 150 sold at 149: equity 1300 − 400 = 900; MM = 60000 · 0.03 − 775 = 1025.
    const a = evaluate({ id: "s", collateral: 1300, positions: [{ marketId: "SOL-PERP", qty: -400, entryPrice: 149 }] });
    expect(a.liquidation.mode).toBe("partial");
    const close = a.liquidation.closes[0]!;
    expect(close.side).toBe("buy");
    expect(close.expectedPrice).toBeGreaterThan(150);
    const lots = bruteForceSmallestLots(SOL, 4000, 150, a.equity, 0, 0.2);
    expect(close.qty).toBe(refQty(SOL, lots));
  });

  describe("the step cap", () => {
    // 12 BTC at 60000 (720000, tier 3, MM 5900), entry 61200: equity = collateral − 14400.
    const large = (collateral: number): AccountInput => ({ id: "l", collateral, positions: [{ marketId: "BTC-PERP", qty: 12, entryPrice: 61200 }] });

    it("caps nextStep of a position above largeNotional at ceil(maxStepFraction · lots), figures recomputed", () => {
      const a = evaluate(large(18800));
      expect(a.liquidation.mode).toBe("partial");
      expect(a.liquidation.closes[0]!.qty).toBeGreaterThan(3);
      expectCloseToMatch(a.liquidation.nextStep, expectedClose(BTC, "sell", 3, 60000)); // ceil(0.25 · 12000) lots
      // `after` is the whole plan, not the step.
      expect(a.liquidation.after.equity).toBeCloseTo(a.equity - refCloseCost(BTC, a.liquidation.closes[0]!.notional), 9);
    });

    it("rounds the product to 9 decimals before the ceiling: 0.07 · 1100 lots is 77 lots, not 78", () => {
      expect(0.07 * 1100).toBeGreaterThan(77); // 77.00000000000001 in binary floating point
      // 1.1 BTC at 60000 (66000 > largeNotional 50000), equity 270 against MM 66000·0.005 − 50 = 280.
      const a = evaluate({ id: "r", collateral: 270 + 110, positions: [{ marketId: "BTC-PERP", qty: 1.1, entryPrice: 60100 }] }, {
        maxStepFraction: 0.07,
        largeNotional: 50000,
      });
      expect(a.liquidation.mode).toBe("partial");
      expect(a.liquidation.closes[0]!.qty).toBeGreaterThan(0.077);
      expect(a.liquidation.nextStep!.qty).toBe(0.077);
    });

    it("leaves a step alone when the plan's close is already under the cap", () => {
      const a = evaluate(large(20000));
      // With more collateral the close (2.339 BTC) is under 3 BTC: the step is the close.
      expect(a.liquidation.closes[0]!.qty).toBeLessThan(3);
      expect(a.liquidation.nextStep).toEqual(a.liquidation.closes[0]);
    });

    it("does not cap a position whose notional is exactly largeNotional, nor any close in mode full", () => {
      const atLimit = evaluate({ id: "e", collateral: 400, positions: [{ marketId: "BTC-PERP", qty: 2, entryPrice: 60000 }] }, { largeNotional: 120000 });
      expect(atLimit.liquidation.mode).toBe("partial");
      expect(atLimit.liquidation.nextStep).toEqual(atLimit.liquidation.closes[0]);
      const full = evaluate(large(14400 + 100));
      expect(full.liquidation.mode).toBe("full");
      expect(full.liquidation.nextStep!.qty).toBe(12);
    });
  });

  it("full mode with a deficit: every position closed, the deficit is what equity falls below zero", () => {
    // 5 BTC at 60000 bought at 60250: equity 1000 − 1250 = −250; closing 300000 costs
    // 300000 · (0.0001 + 0.005 · 300000 / 2e6) + 300 = 555.
    const a = evaluate({ id: "b", collateral: 1000, positions: [{ marketId: "BTC-PERP", qty: 5, entryPrice: 60250 }] });
    expect(a.status).toBe("bankrupt");
    expect(a.marginRatio).toBeNull();
    expect(a.liquidation.mode).toBe("full");
    expectCloseToMatch(a.liquidation.closes[0]!, expectedClose(BTC, "sell", 5, 60000));
    expect(a.liquidation.after.equity).toBeCloseTo(-805, 9);
    expect(a.liquidation.after.maintenanceMargin).toBe(0);
    expect(a.liquidation.deficit).toBeCloseTo(805, 9);
  });

  it("full mode on a backstop account with positive equity can still leave a deficit", () => {
    // Same position, equity 50 (< 2/3 · 1700): the close costs 555.
    const a = evaluate({ id: "b", collateral: 1300, positions: [{ marketId: "BTC-PERP", qty: 5, entryPrice: 60250 }] });
    expect(a.status).toBe("backstop");
    expect(a.liquidation.deficit).toBeCloseTo(505, 9);
  });

  it("orders equal maintenance margins by market id in code-unit order, not locale order", () => {
    const upper = { ...ETH, id: "B-PERP" };
    const lower = { ...ETH, id: "a-PERP" };
    const a = evaluate(
      {
        id: "tie",
        collateral: 0,
        positions: [
          { marketId: "a-PERP", qty: 10, entryPrice: 3000 },
          { marketId: "B-PERP", qty: 10, entryPrice: 3000 },
        ],
      },
      undefined,
      [upper, lower],
      { "a-PERP": 3000, "B-PERP": 3000 },
    );
    expect(a.liquidation.mode).toBe("full");
    expect(a.liquidation.closes.map((c) => c.marketId)).toEqual(["B-PERP", "a-PERP"]);
  });

  it("when no partial close of any leg restores the target, every leg is closed and the mode stays partial", () => {
    // A thin book: closing x units costs 0.0125·x², more than the margin it frees at any x
    // (4000 − 0.0125x² >= 1.2(4400 − 5x) has no root).
    const thin: MarketParams = { ...ZERO_FEE, id: "THIN", liquidity: { halfSpreadBps: 0, depthPer1Pct: 4000 } };
    const account: AccountInput = { id: "t", collateral: 5000, positions: [{ marketId: "THIN", qty: 1000, entryPrice: 101 }] };
    expect(bruteForceSmallestLots(thin, 1000, 100, 4000, 0, 0.2)).toBe(0);
    const a = evaluate(account, undefined, [thin], { THIN: 100 });
    expect(a.status).toBe("liquidatable");
    expect(a.liquidation.mode).toBe("partial");
    expectCloseToMatch(a.liquidation.closes[0]!, expectedClose(thin, "sell", 1000, 100));
    expect(a.liquidation.after.maintenanceMargin).toBe(0);
    expect(a.liquidation.after.equity).toBeCloseTo(4000 - refCloseCost(thin, 100000), 9);
    expect(a.liquidation.deficit).toBeCloseTo(Math.max(0, refCloseCost(thin, 100000) - 4000), 9);
  });

  it("a huge position whose full close costs more than it frees still gets its smallest restoring close", () => {
    // 300 BTC (18M notional, MM 433700) at equity 0.99·MM, target buffer 0. Closing X costs
    // 0.0011X + 2.5e-9X² and frees 0.025X of MM, so the target holds for X between about 185k and
    // 9.4M: a feasible interval strictly inside [1, lots] (the full close costs 829800 > equity).
    const qty = 300;
    const mm = refMM(BTC, qty * 60000);
    const equity = mm * 0.99;
    const lots = 300000;
    const expected = bruteForceSmallestLots(BTC, lots, 60000, equity, 0, 0);
    expect(equity - refCloseCost(BTC, qty * 60000) >= 0).toBe(false);
    expect(expected).toBeGreaterThan(0);
    const a = evaluate({ id: "h", collateral: equity, positions: [{ marketId: "BTC-PERP", qty, entryPrice: 60000 }] }, { targetBuffer: 0 });
    expect(a.liquidation.mode).toBe("partial");
    expect(a.liquidation.closes[0]!.qty).toBe(refQty(BTC, expected));
  });
});
