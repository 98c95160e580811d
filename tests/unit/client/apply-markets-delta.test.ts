import { describe, expect, it } from "vitest";
import { applyMarketsDelta, namesUnknownMarket } from "@/lib/client/apply-markets-delta";
import type { MarketsResponse } from "@/lib/contracts/markets";

const snapshot: MarketsResponse = {
  seq: 5, serverTime: 10_000,
  markets: [
    { id: "BTC-PERP", baseAsset: "BTC", tickSize: 0.1, lotSize: 0.001, mark: 60_000, markTs: 9_900, stale: false, sources: [], history: [{ ts: 9_000, mark: 59_990 }] },
    { id: "ETH-PERP", baseAsset: "ETH", tickSize: 0.01, lotSize: 0.01, mark: 3_000, markTs: 9_900, stale: false, sources: [], history: [] },
  ],
};
const update = { marketId: "BTC-PERP", mark: 60_010, markTs: 11_000, stale: false, sources: [] };

describe("applying a markets delta in the browser", () => {
  it("a delta not newer than the snapshot is dropped", () => {
    expect(applyMarketsDelta(snapshot, { seq: 5, serverTime: 11_000, updates: [update] })).toBe(snapshot);
    expect(applyMarketsDelta(snapshot, { seq: 4, serverTime: 11_000, updates: [update] })).toBe(snapshot);
  });
  it("a newer delta updates only the markets it names and appends a chart point", () => {
    const next = applyMarketsDelta(snapshot, { seq: 6, serverTime: 11_000, updates: [update] });
    expect(next.seq).toBe(6);
    expect(next.markets[0]).toMatchObject({ mark: 60_010, markTs: 11_000 });
    expect(next.markets[0]!.history).toEqual([{ ts: 9_000, mark: 59_990 }, { ts: 11_000, mark: 60_010 }]);
    expect(next.markets[1]).toBe(snapshot.markets[1]);
  });
  it("a stale update marks the market stale without adding a chart point", () => {
    const next = applyMarketsDelta(snapshot, { seq: 6, serverTime: 11_000, updates: [{ ...update, stale: true, mark: 60_000 }] });
    expect(next.markets[0]).toMatchObject({ stale: true });
    expect(next.markets[0]!.history).toHaveLength(1);
  });
  it("a newer delta naming a market the snapshot does not list (imported since) asks for a new snapshot", () => {
    const added = { ...update, marketId: "HPOS-PERP", mark: null, markTs: null };
    expect(namesUnknownMarket(snapshot, { seq: 6, serverTime: 11_000, updates: [update, added] })).toBe(true);
    expect(namesUnknownMarket(snapshot, { seq: 6, serverTime: 11_000, updates: [update] })).toBe(false);
    expect(namesUnknownMarket(snapshot, { seq: 5, serverTime: 11_000, updates: [added] })).toBe(false);
  });
});
