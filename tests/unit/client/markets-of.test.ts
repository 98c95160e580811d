import { describe, expect, it } from "vitest";
import { applyMarketsDelta } from "@/lib/client/apply-markets-delta";
import { marketsOfSelector } from "@/lib/client/markets-of";
import type { MarketsResponse } from "@/lib/contracts/markets";

const market = (id: string, mark: number) => ({ id, baseAsset: id.split("-")[0]!, tickSize: 0.1, lotSize: 0.001, mark, markTs: 9_900, stale: false, sources: [], history: [] });
const snapshot: MarketsResponse = { seq: 5, serverTime: 10_000, markets: [market("BTC-PERP", 60_000), market("ETH-PERP", 3_000), market("SOL-PERP", 150)] };
const tick = (data: MarketsResponse, marketId: string, mark: number) =>
  applyMarketsDelta(data, { seq: data.seq + 1, serverTime: data.serverTime + 100, updates: [{ marketId, mark, markTs: data.serverTime + 100, stale: false, sources: [] }] });

describe("the markets an account page follows", () => {
  it("selects the named markets in the list's order", () => {
    const select = marketsOfSelector(new Set(["SOL-PERP", "BTC-PERP"]));
    expect(select(snapshot).map((m) => m.id)).toEqual(["BTC-PERP", "SOL-PERP"]);
  });

  it("a tick of another market selects the same array (nothing on the page redraws)", () => {
    const select = marketsOfSelector(new Set(["BTC-PERP"]));
    const first = select(snapshot);
    const other = tick(snapshot, "ETH-PERP", 3_001);
    expect(other).not.toBe(snapshot);
    expect(select(other)).toBe(first);
  });

  it("a tick of a market it holds, or a stale flag, selects a new array with the new market", () => {
    const select = marketsOfSelector(new Set(["BTC-PERP", "ETH-PERP"]));
    const first = select(snapshot);
    const moved = tick(snapshot, "BTC-PERP", 60_010);
    const second = select(moved);
    expect(second).not.toBe(first);
    expect(second[0]!.mark).toBe(60_010);
    expect(second[1]).toBe(first[1]);
    const stale = applyMarketsDelta(moved, { seq: moved.seq + 1, serverTime: moved.serverTime + 100, updates: [{ marketId: "ETH-PERP", mark: 3_000, markTs: 9_900, stale: true, sources: [] }] });
    expect(select(stale)[1]!.stale).toBe(true);
  });

  it("a market added to the list that it holds is selected", () => {
    const select = marketsOfSelector(new Set(["BTC-PERP", "DOGE-PERP"]));
    expect(select(snapshot).map((m) => m.id)).toEqual(["BTC-PERP"]);
    expect(select({ ...snapshot, seq: 7, markets: [...snapshot.markets, market("DOGE-PERP", 0.1)] }).map((m) => m.id)).toEqual(["BTC-PERP", "DOGE-PERP"]);
  });
});
