import { describe, expect, it } from "vitest";
import { bookSnapshot, fundRunway, LiveBook, scenarioOfSnapshot } from "@/lib/engine";
import { largestCovered } from "@/lib/engine/views/book-analytics";
import { buildMarketBook, evaluateShock, resolveRiskParams, shockMarks, stressAccountsOf } from "@/lib/risk";
import { MARKETS, PRICES } from "./helpers/markets";

/** `ok` holding up to `boundary`, counting its calls. */
function counted(boundary: number) {
  let calls = 0;
  return { ok: (k: number) => (calls++, k <= boundary), calls: () => calls };
}

describe("the fund runway's search", () => {
  it("finds the largest covered step from any hint or none, the same answer every time", () => {
    for (const boundary of [0, 1, 2, 7, 123, 250, 498, 499, 500]) {
      for (const hint of [undefined, 0, 1, boundary - 1, boundary, boundary + 1, boundary + 40, 3, 499, 500, -5, 501, 2.5]) {
        expect(largestCovered(counted(boundary).ok, hint), `boundary ${boundary}, hint ${hint}`).toBe(boundary);
      }
    }
  });

  it("costs two shocked books when the boundary did not move, a few more when it moved a little, ~10 from nothing", () => {
    for (const boundary of [3, 120, 499]) {
      const same = counted(boundary);
      largestCovered(same.ok, boundary);
      expect(same.calls()).toBe(2);
      const near = counted(boundary);
      largestCovered(near.ok, boundary - 2);
      expect(near.calls()).toBeLessThanOrEqual(5);
      const cold = counted(boundary);
      largestCovered(cold.ok);
      expect(cold.calls()).toBeLessThanOrEqual(10);
    }
  });

  it("on a book: the largest 0.1% grid move each way the fund covers, the same with the last answer as a hint", () => {
    const b = new LiveBook();
    for (const m of MARKETS) b.upsertMarket(m);
    for (const [id, p] of Object.entries(PRICES)) b.setMark(id, p);
    for (let i = 0; i < 12; i++) {
      b.setPosition(`long-${i}`, "BTC-PERP", 1, 60000);
      b.setCollateral(`long-${i}`, 2000 + 700 * i);
      b.setPosition(`short-${i}`, "ETH-PERP", -10, 3000);
      b.setCollateral(`short-${i}`, 2500 + 900 * i);
    }
    const snapshot = bookSnapshot(b);
    const fund = 3000;
    const cold = fundRunway(snapshot, fund);
    expect(fundRunway(snapshot, fund, cold.steps)).toEqual(cold);
    expect(fundRunway(snapshot, fund, { down: 0, up: 500 })).toEqual(cold);
    // Checked against the model itself: the step found is covered and the next one is not (each way).
    const scenario = scenarioOfSnapshot(snapshot);
    const accounts = stressAccountsOf(scenario.accounts, buildMarketBook(scenario.markets));
    const params = resolveRiskParams(scenario.params);
    const covered = (move: number) => evaluateShock(accounts,
      shockMarks(scenario.prices, Object.fromEntries(Object.keys(scenario.prices).map((id) => [id, move]))), params, fund).insuranceFund.uncovered === 0;
    for (const [sign, k] of [[-1, cold.steps.down], [1, cold.steps.up]] as const) {
      expect(k).toBeGreaterThan(0);
      expect(k).toBeLessThan(500);
      expect(covered((sign * k) / 1000)).toBe(true);
      expect(covered((sign * (k + 1)) / 1000)).toBe(false);
    }
    expect(cold.coversMove).toBe(Math.min(cold.steps.down, cold.steps.up) / 1000);
  });
});
