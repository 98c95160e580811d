import { describe, expect, it } from "vitest";
import type { MarketView } from "@/lib/contracts/markets";
import { figureTs, marksAsOf } from "@/lib/client/marks-as-of";

const market = (id: string, mark: number | null, markTs: number | null, stale: boolean): MarketView =>
  ({ id, baseAsset: id, tickSize: 0.1, lotSize: 0.001, mark, markTs, stale, sources: [], history: [] });

describe("the marks behind figures", () => {
  const markets = [market("BTC-PERP", 60000, 1_000, true), market("ETH-PERP", 3000, 9_000, false), market("SOL-PERP", null, null, true)];

  it("figures are as old as their oldest mark: after a restart without a feed, the persisted mark's age, not the last sum's", () => {
    const marks = marksAsOf(markets);
    expect(marks).toEqual({ ts: 1_000, stale: ["BTC-PERP"], unpriced: ["SOL-PERP"] });
    expect(figureTs(10_000, marks)).toBe(1_000);
  });

  it("only the markets asked for count; none with a mark leaves the computed time", () => {
    expect(marksAsOf(markets, new Set(["ETH-PERP"]))).toEqual({ ts: 9_000, stale: [], unpriced: [] });
    const none = marksAsOf(markets, new Set(["SOL-PERP"]));
    expect(none).toEqual({ ts: null, stale: [], unpriced: ["SOL-PERP"] });
    expect(figureTs(10_000, none)).toBe(10_000);
    expect(figureTs(5_000, marksAsOf(markets, new Set(["ETH-PERP"])))).toBe(5_000);
  });
});
