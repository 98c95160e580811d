import { describe, expect, it } from "vitest";
import { evaluateResponseSchema } from "@/lib/contracts/risk-evaluation";
import { parseRiskScenario } from "@/lib/contracts/risk-scenario";
import { parseStressRequest } from "@/lib/contracts/stress-request";
import {
  BEYOND_DEPTH, compileMarket, evaluateScenario, executionCost, planPartialLiquidation, resolveRiskParams, stressTest,
} from "@/lib/risk";
import { BTC } from "./helpers/markets";

/**
 * Spec §5's average impact `a(X) = halfSpread + 0.005·X/depthPer1Pct` is linear: beyond about
 * 200 × depthPer1Pct of notional it reaches 1, and the "expected price" of a sell, `P·(1 − a)`, is
 * 0 or negative (issue 15, probe finding: a 10,000 BTC long planned a full close at −34,106). Such a
 * close is flagged `beyondDepth`, its plan `unexecutable`; it is never executed (queue: paused).
 */
const btc = compileMarket(BTC);
const params = resolveRiskParams();
const whale = {
  markets: [BTC],
  prices: { "BTC-PERP": 70000 },
  accounts: [{ id: "whale", collateral: 1000000, positions: [{ marketId: "BTC-PERP", qty: 10000, entryPrice: 70000 }] }],
};

describe("a close beyond the book's depth (a(X) >= 1)", () => {
  it("is flagged beyondDepth; a close within the depth has no such key (spec §6's shape)", () => {
    // a(X) = 0.0001 + 0.005 · X / 2e6 reaches 1 at X = 399,960,000.
    const within = executionCost(btc, 1, 5000, 70000); // X = 350 M: a = 0.8751
    expect(within.expectedPrice).toBeGreaterThan(0);
    expect("beyondDepth" in within).toBe(false);
    const beyond = executionCost(btc, 1, 10000, 70000); // X = 700 M: a = 1.7501
    expect(beyond.expectedPrice).toBeLessThanOrEqual(0);
    expect(beyond.beyondDepth).toBe(true);
    // A short's buy-back has a positive formula price, but paying (1 + a) ≥ 2 × the mark is no fill either.
    expect(executionCost(btc, -1, 10000, 70000)).toMatchObject({ side: "buy", beyondDepth: true });
  });

  it("a plan whose next step holds one is unexecutable, with the reason and the market", () => {
    const plan = planPartialLiquidation(1000000, [{ market: btc, qty: 10000, markPrice: 70000 }], params);
    expect(plan.mode).toBe("full");
    expect(plan.unexecutable).toBe(`${BEYOND_DEPTH}: BTC-PERP`);
    // A partial plan whose capped next step is within the depth stays executable, even if its full
    // close would not be: 25% of 6,000 BTC at 70,000 is 105 M (a ≈ 0.26).
    const partial = planPartialLiquidation(9000000, [{ market: btc, qty: 6000, markPrice: 70000 }], params);
    expect(partial.mode).toBe("partial");
    expect(partial.nextStep!.qty).toBe(1500);
    expect(partial.nextStep!.beyondDepth).toBeUndefined();
    expect(partial.unexecutable).toBeUndefined();
  });

  it("evaluate keeps the spec's figures but flags them, and the output still fits the contract", () => {
    const out = evaluateScenario(parseRiskScenario(whale));
    const liq = out.accounts[0]!.liquidation;
    expect(liq.mode).toBe("full");
    expect(liq.closes[0]).toMatchObject({ beyondDepth: true, side: "sell", qty: 10000 });
    expect(liq.unexecutable).toBe(`${BEYOND_DEPTH}: BTC-PERP`);
    expect(evaluateResponseSchema.safeParse(JSON.parse(JSON.stringify(out))).success).toBe(true);
  });

  it("the cascade holds such an account instead of executing it: no negative price, no deficit beyond the notional", () => {
    const normal = { id: "normal", collateral: 100, positions: [{ marketId: "BTC-PERP", qty: 1, entryPrice: 70000 }] };
    const scenario = parseStressRequest({
      ...whale,
      accounts: [{ ...whale.accounts[0]!, collateral: 100000 }, normal],
      shocks: {},
      insuranceFund: 1000000,
    });
    const { cascade } = stressTest(scenario);
    expect(cascade.heldBeyondDepth).toEqual(["whale"]);
    // Only the normal account is liquidated: its 70,000 of notional, a deficit of at most its loss.
    expect(cascade.totals.accountsLiquidated).toBe(1);
    expect(cascade.totals.liquidatedNotional).toBeCloseTo(70000, 6);
    expect(cascade.totals.deficits).toBeLessThan(100);
    expect(cascade.finalMarks["BTC-PERP"]).toBeGreaterThan(69000);
    expect(cascade.finalStatusCounts.bankrupt + cascade.finalStatusCounts.backstop + cascade.finalStatusCounts.liquidatable).toBe(1);
  });
});
