import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { MarketView, MarkUpdate } from "@/lib/contracts/markets";
import type { MarketsDelta } from "@/lib/contracts/socket-events";
import { MarketsStream } from "@/lib/server/feeds/markets-stream";

beforeEach(() => {
  vi.useFakeTimers({ now: 5_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

const update = (marketId: string, mark: number): MarkUpdate => ({ marketId, mark, markTs: Date.now(), stale: false, sources: [] });
const views = (): MarketView[] => [
  { id: "BTC-PERP", baseAsset: "BTC", tickSize: 0.1, lotSize: 0.001, mark: 60000, markTs: 1, stale: false, sources: [], history: [] },
];

describe("the markets stream", () => {
  it("a burst of ticks becomes one delta holding each market's latest state; deltas go at most every ROOM_PUSH_INTERVAL_MS (110 ms)", async () => {
    const sent: MarketsDelta[] = [];
    const stream = new MarketsStream({ views }, 0);
    stream.start((d) => sent.push(d));
    stream.publish(update("BTC-PERP", 1));
    stream.publish(update("ETH-PERP", 10));
    stream.publish(update("BTC-PERP", 2));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ seq: 1, serverTime: 5_000_000, updates: [update("BTC-PERP", 2), update("ETH-PERP", 10)] }]);
    await vi.advanceTimersByTimeAsync(30);
    stream.publish(update("BTC-PERP", 3));
    await vi.advanceTimersByTimeAsync(30);
    stream.publish(update("BTC-PERP", 4));
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(40);
    expect(sent).toHaveLength(1); // 100 ms after the first: not yet
    await vi.advanceTimersByTimeAsync(10);
    expect(sent.map((d) => [d.seq, d.serverTime, d.updates.map((u) => u.mark)])).toEqual([
      [1, 5_000_000, [2, 10]],
      [2, 5_000_110, [4]],
    ]);
  });

  it("a snapshot is every market now, numbered with the last delta sent; the numbers start above the base", async () => {
    const sent: MarketsDelta[] = [];
    const stream = new MarketsStream({ views }, 7_000);
    expect(stream.snapshot()).toEqual({ seq: 7_000, serverTime: 5_000_000, markets: views() });
    stream.start((d) => sent.push(d));
    stream.publish(update("BTC-PERP", 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((d) => d.seq)).toEqual([7_001]);
    expect(stream.snapshot().seq).toBe(7_001);
  });

  it("queues nothing before it starts: the first delta holds only what changed after", async () => {
    const sent: MarketsDelta[] = [];
    const stream = new MarketsStream({ views }, 0);
    stream.publish(update("ETH-PERP", 10));
    await vi.advanceTimersByTimeAsync(200);
    stream.start((d) => sent.push(d));
    stream.publish(update("BTC-PERP", 1));
    await vi.advanceTimersByTimeAsync(0);
    expect(sent.map((d) => d.updates.map((u) => u.marketId))).toEqual([["BTC-PERP"]]);
    stream.stop();
    stream.publish(update("BTC-PERP", 2));
    await vi.advanceTimersByTimeAsync(200);
    expect(sent).toHaveLength(1);
  });
});
