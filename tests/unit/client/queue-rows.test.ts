import { describe, expect, it } from "vitest";
import { queueRowOf, sortQueueRows } from "@/components/desk/queue-rows";
import type { QueueEntry } from "@/lib/contracts/book-views";

function entry(accountId: string, rank: number, marginRatio: number | null, after: { equity: number; maintenanceMargin: number }, cooldownRemainingMs = 0, notional = 1000): QueueEntry {
  return {
    accountId, rank, status: "liquidatable", equity: 100, maintenanceMargin: 120, marginRatio, health: null, shortfall: 20, mode: "partial",
    plan: { mode: "partial", closes: [], nextStep: null, after, deficit: 0 },
    nextStep: { marketId: "BTC-PERP", side: "sell", qty: 0.1, markPrice: 60000, expectedPrice: 59990, notional, slippageCost: 1, fee: 6 },
    lastStepAt: null, cooldownRemainingMs, paused: false, pausedReason: null, tierBefore: 1, tierAfter: 1,
  };
}

describe("queue rows", () => {
  it("ratio after the plan is MM / equity after; none left is 0; equity ≤ 0 after is null (∞)", () => {
    expect(queueRowOf(entry("a", 0, 1.2, { equity: 500, maintenanceMargin: 400 }), 0).ratioAfter).toBeCloseTo(0.8);
    expect(queueRowOf(entry("a", 0, 1.2, { equity: 5, maintenanceMargin: 0 }), 0).ratioAfter).toBe(0);
    expect(queueRowOf(entry("a", 0, null, { equity: -5, maintenanceMargin: 10 }), 0).ratioAfter).toBeNull();
  });

  it("tiers before → after come from the entry; no tier after (position closed) stays null", () => {
    const plain = entry("a", 0, 1.2, { equity: 500, maintenanceMargin: 400 });
    expect(queueRowOf(plain, 0)).toMatchObject({ tierBefore: 1, tierAfter: 1 });
    expect(queueRowOf({ ...plain, tierBefore: 3, tierAfter: 2 }, 0)).toMatchObject({ tierBefore: 3, tierAfter: 2 });
    expect(queueRowOf({ ...plain, tierBefore: 2, tierAfter: null }, 0)).toMatchObject({ tierBefore: 2, tierAfter: null });
  });

  it("the cool-down ends at the queue's server time plus what remained then", () => {
    expect(queueRowOf(entry("a", 0, 1.1, { equity: 1, maintenanceMargin: 1 }, 12_000), 1_000_000).dueAt).toBe(1_012_000);
  });

  it("sorts by a column, equity ≤ 0 as the highest ratio, ties in queue order", () => {
    const after = { equity: 1, maintenanceMargin: 1 };
    const rows = [entry("b", 0, 1.1, after, 0, 500), entry("a", 1, null, after, 0, 900), entry("c", 2, 1.1, after, 0, 700)].map((e) => queueRowOf(e, 0));
    expect(sortQueueRows(rows, "ratio", "desc").map((r) => r.accountId)).toEqual(["a", "b", "c"]);
    expect(sortQueueRows(rows, "ratio", "asc").map((r) => r.accountId)).toEqual(["b", "c", "a"]);
    expect(sortQueueRows(rows, "notional", "desc").map((r) => r.accountId)).toEqual(["a", "c", "b"]);
    expect(sortQueueRows(rows, "account", "asc").map((r) => r.accountId)).toEqual(["a", "b", "c"]);
    expect(sortQueueRows(rows, "rank", "asc").map((r) => r.accountId)).toEqual(["b", "a", "c"]);
  });
});
