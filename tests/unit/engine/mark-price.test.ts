import { describe, expect, it } from "vitest";
import { markPrice } from "@/lib/engine/mark-price";
import { MarketMarks } from "@/lib/engine/market-marks";

describe("mark price (spec §7)", () => {
  const now = 1_000_000;
  it("is the median of the fresh sources", () => {
    expect(markPrice([{ price: 100, ts: now }, { price: 101, ts: now }, { price: 250, ts: now }], now, 10_000)).toBe(101);
  });
  it("one outlying source does not move the median of three", () => {
    const base = [{ price: 100, ts: now }, { price: 100.2, ts: now }];
    expect(markPrice([...base, { price: 100.1, ts: now }], now, 10_000)).toBe(100.1);
    expect(markPrice([...base, { price: 1e6, ts: now }], now, 10_000)).toBe(100.2);
  });
  it("averages the middle two of an even count", () => {
    expect(markPrice([{ price: 100, ts: now }, { price: 102, ts: now }], now, 10_000)).toBe(101);
  });
  it("ignores sources older than staleAfterMs and is null with none fresh", () => {
    expect(markPrice([{ price: 100, ts: now - 10_001 }, { price: 200, ts: now }], now, 10_000)).toBe(200);
    expect(markPrice([{ price: 100, ts: now - 10_001 }], now, 10_000)).toBeNull();
  });
});

describe("market marks", () => {
  it("an older or duplicate price of a source is ignored", () => {
    const marks = new MarketMarks(10_000);
    expect(marks.apply("BTC-PERP", "a", 100, 10)).toBe(true);
    expect(marks.apply("BTC-PERP", "a", 90, 9)).toBe(false);
    expect(marks.apply("BTC-PERP", "a", 95, 10)).toBe(false);
    expect(marks.refresh("BTC-PERP", 20).mark).toBe(100);
  });
  it("a stale market keeps its last mark and says it is stale; a fresh price resumes it", () => {
    const marks = new MarketMarks(1000);
    marks.apply("ETH-PERP", "a", 3000, 0);
    expect(marks.refresh("ETH-PERP", 500)).toMatchObject({ mark: 3000, stale: false, markTs: 0 });
    expect(marks.refresh("ETH-PERP", 5000)).toMatchObject({ mark: 3000, stale: true, markTs: 0 });
    marks.apply("ETH-PERP", "b", 3010, 5000);
    expect(marks.refresh("ETH-PERP", 5100)).toMatchObject({ mark: 3010, stale: false, markTs: 5000 });
  });
});
