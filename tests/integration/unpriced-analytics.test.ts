import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DeskStressResponse } from "@/lib/contracts/desk";
import type { BookLiquidationMap } from "@/lib/contracts/book-views";
import { engineOf, engineSettled } from "../support/test-runtime";
import { startRouteHarness, type RouteHarness } from "../support/route-harness";

// Spec §7 revision 2 on the desk's book-wide analytics: SOL-PERP is a configured market that has
// never had a price, so the accounts holding it have unknown figures. Stress, the fund runway and
// the liquidation map leave them out and say so; they never fail the whole book for them.
let h: RouteHarness;

beforeAll(async () => {
  h = await startRouteHarness();
  await h.runtime.services.ingest.collateral({
    entries: [
      { accountId: "u-sol", amount: "500", kind: "deposit", idempotencyKey: "u-sol-dep" },
      { accountId: "u-mixed", amount: "3000", kind: "deposit", idempotencyKey: "u-mixed-dep" },
    ],
  });
  await h.runtime.services.ingest.positions({
    source: "venue",
    updates: [
      { accountId: "u-sol", marketId: "SOL-PERP", qty: 10, entryPrice: 150, seq: 1 },
      { accountId: "u-mixed", marketId: "BTC-PERP", qty: -0.5, entryPrice: 60000, seq: 1 },
      { accountId: "u-mixed", marketId: "SOL-PERP", qty: -20, entryPrice: 150, seq: 2 },
    ],
  });
  await engineSettled(h.runtime);
}, 120_000);

afterAll(() => h?.stop());

describe("desk analytics while a held market has never had a price", () => {
  it("stress answers 200 over the priced accounts and counts the others in unknownAccounts", async () => {
    const res = await h.call("POST /api/v1/stress", { json: { shocks: { "BTC-PERP": -0.1 } } });
    expect(res.status).toBe(200);
    const { result } = (await res.json()) as DeskStressResponse;
    expect(result.unknownAccounts).toEqual({ count: 2, markets: ["SOL-PERP"] });
    // Only the harness trader (1 BTC long, 20,000 USD) is evaluated: healthy after a 10% fall.
    expect(Object.values(result.shock.statusCounts).reduce((a, b) => a + b, 0)).toBe(1);
    expect(result.shock.statusCounts.healthy).toBe(1);
    expect(result.shock.marks["BTC-PERP"]).toBeCloseTo(54000, 6);
  });

  it("a shock on the never-priced market is a 400 naming shocks.<market>", async () => {
    const res = await h.call("POST /api/v1/stress", { json: { shocks: { "SOL-PERP": -0.2 } } });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; fields: { path: string; message: string }[] } };
    expect(body.error.code).toBe("invalid_input");
    expect(body.error.fields).toEqual([{ path: "shocks.SOL-PERP", message: "no price yet for SOL-PERP" }]);
  });

  it("the fund runway is computed over the priced accounts and says which it leaves out", async () => {
    const runway = await engineOf(h.runtime).client.fundRunway(1000);
    expect(runway.unknownAccounts).toEqual({ count: 2, markets: ["SOL-PERP"] });
    expect(runway.coversMove).toBeGreaterThan(0);
  });

  it("the liquidation map of the never-priced market is 200 'no price yet'; a priced market's map counts its holders left out", async () => {
    const sol = await h.call("GET /api/v1/markets/[id]/liquidation-map", { params: { id: "SOL-PERP" } });
    expect(sol.status).toBe(200);
    expect(await sol.json()).toEqual({ marketId: "SOL-PERP", markPrice: null, reason: "no price yet" });

    const btc = await h.call("GET /api/v1/markets/[id]/liquidation-map", { params: { id: "BTC-PERP" } });
    expect(btc.status).toBe(200);
    const map = (await btc.json()) as Extract<BookLiquidationMap, { buckets: unknown }>;
    expect(map.markPrice).toBe(60000);
    expect(map.unknownAccounts).toEqual({ count: 1, markets: ["SOL-PERP"] });
    const longs = map.buckets.reduce((s, b) => s + b.longNotional, 0) + map.belowRange.longNotional + map.aboveRange.longNotional + map.withoutPrice.longNotional;
    const shorts = map.buckets.reduce((s, b) => s + b.shortNotional, 0) + map.belowRange.shortNotional + map.aboveRange.shortNotional + map.withoutPrice.shortNotional;
    expect(longs).toBeCloseTo(60000, 6);
    expect(shorts).toBe(0);

    const unknown = await h.call("GET /api/v1/markets/[id]/liquidation-map", { params: { id: "NOPE-PERP" } });
    expect(unknown.status).toBe(404);
  });
});
