import { describe, expect, it } from "vitest";
import { markPrice } from "@/lib/risk/mark-price";
import { MarketMarks } from "@/lib/server/markets/market-marks";

describe("mark price (spec §7)", () => {
  const now = 1_000_000;
  it("is the median of the fresh sources", () => {
    expect(markPrice([{ price: 100, ts: now, receivedAt: now }, { price: 101, ts: now, receivedAt: now }, { price: 250, ts: now, receivedAt: now }], now, 10_000)).toBe(101);
  });
  it("one outlying source does not move the median of three", () => {
    const base = [{ price: 100, ts: now, receivedAt: now }, { price: 100.2, ts: now, receivedAt: now }];
    expect(markPrice([...base, { price: 100.1, ts: now, receivedAt: now }], now, 10_000)).toBe(100.1);
    expect(markPrice([...base, { price: 1e6, ts: now, receivedAt: now }], now, 10_000)).toBe(100.2);
  });
  it("averages the middle two of an even count", () => {
    expect(markPrice([{ price: 100, ts: now, receivedAt: now }, { price: 102, ts: now, receivedAt: now }], now, 10_000)).toBe(101);
  });
  it("ignores sources older than staleAfterMs and is null with none fresh", () => {
    expect(markPrice([{ price: 100, ts: now - 10_001, receivedAt: now - 10_001 }, { price: 200, ts: now, receivedAt: now }], now, 10_000)).toBe(200);
    expect(markPrice([{ price: 100, ts: now - 10_001, receivedAt: now - 10_001 }], now, 10_000)).toBeNull();
  });
});

describe("market marks", () => {
  it("an older or duplicate price of a source is ignored", () => {
    const marks = new MarketMarks(10_000);
    expect(marks.apply("BTC-PERP", "a", 100, 10, 10)).toBe(true);
    expect(marks.apply("BTC-PERP", "a", 90, 9, 9)).toBe(false);
    expect(marks.apply("BTC-PERP", "a", 95, 10, 10)).toBe(false);
    expect(marks.refresh("BTC-PERP", 20).mark).toBe(100);
  });
  it("a stale market keeps its last mark and says it is stale; a fresh price resumes it", () => {
    const marks = new MarketMarks(1000);
    marks.apply("ETH-PERP", "a", 3000, 0, 0);
    expect(marks.refresh("ETH-PERP", 500)).toMatchObject({ mark: 3000, stale: false, markTs: 0 });
    expect(marks.refresh("ETH-PERP", 5000)).toMatchObject({ mark: 3000, stale: true, markTs: 0 });
    marks.apply("ETH-PERP", "b", 3010, 5000, 5000);
    expect(marks.refresh("ETH-PERP", 5100)).toMatchObject({ mark: 3010, stale: false, markTs: 5000 });
  });
  it("freshness is judged by when the server received a price, never by the source's own time", () => {
    const marks = new MarketMarks(1000);
    // Dated a year ahead, received at 0: stale after 1 s like any other price.
    marks.apply("BTC-PERP", "a", 60000, 365 * 86_400_000, 0);
    expect(marks.refresh("BTC-PERP", 500)).toMatchObject({ mark: 60000, stale: false, markTs: 0 });
    expect(marks.refresh("BTC-PERP", 1001)).toMatchObject({ mark: 60000, stale: true, markTs: 0 });
    // Dated long ago but just received: fresh, and its age is counted from receipt.
    marks.apply("ETH-PERP", "a", 3000, 5, 10_000);
    expect(marks.refresh("ETH-PERP", 10_500)).toMatchObject({ mark: 3000, stale: false, markTs: 10_000 });
    expect(marks.refresh("ETH-PERP", 10_500).sources).toEqual([{ source: "a", price: 3000, ts: 5, receivedAt: 10_000, fresh: true }]);
  });
  it("a restored mark keeps its age and is stale until a source is fresh", () => {
    const marks = new MarketMarks(1000);
    marks.restoreMark("BTC-PERP", 61000, 5000);
    expect(marks.refresh("BTC-PERP", 60_000)).toMatchObject({ mark: 61000, markTs: 5000, stale: true });
    expect(marks.refresh("SOL-PERP", 60_000)).toMatchObject({ mark: null, markTs: null, stale: true });
    marks.apply("BTC-PERP", "a", 62000, 1, 60_000);
    expect(marks.refresh("BTC-PERP", 60_001)).toMatchObject({ mark: 62000, markTs: 60_000, stale: false });
  });
});
