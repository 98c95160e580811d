import { describe, expect, it } from "vitest";
import { applyDeskDelta } from "@/lib/client/apply-desk-delta";
import { deskStateOf } from "@/lib/client/desk-state";
import { FEED_EVENTS, type DeskSnapshot, type DeskSummary, type LiquidationEventView, type QueueEntry } from "@/lib/contracts/desk";

const summary: DeskSummary = {
  book: {
    markets: 1, staleMarkets: [], accounts: 2, accountsWithPositions: 2, positions: 2,
    byStatus: { healthy: 1, warning: 0, liquidatable: 1, backstop: 0, bankrupt: 0 },
    mmShortfall: 10, pendingNotional: 1000, expectedDeficit: 0, queue: { size: 1, paused: 0 },
  },
  fund: { balance: "250000", uncoveredBadDebt: "0", coversMove: 0.2, coversMoveTs: 1 },
};

function event(id: string, executedAt: number): LiquidationEventView {
  return {
    id, accountId: "a1", marketId: "BTC-PERP", side: "sell", qty: "0.1", price: "60000", markPrice: "60010", notional: "6000",
    fee: "6", slippage: "1", realizedPnl: "-10", deficit: "0", mode: "partial", executedAt,
  };
}

const snapshot: DeskSnapshot = {
  seq: 10, serverTime: 10_000, summary,
  histogram: { edges: [0, 1], counts: [1, 1], bankrupt: 0, flat: 0 },
  queue: { total: 0, offset: 0, limit: 200, items: [] },
  events: [event("e2", 9_000), event("e1", 8_000)],
};
const state = deskStateOf(snapshot);

describe("applying a desk delta in the browser", () => {
  it("a delta not newer than the state is dropped (same object: nothing re-renders)", () => {
    expect(applyDeskDelta(state, { seq: 10, serverTime: 11_000, summary })).toBe(state);
    expect(applyDeskDelta(state, { seq: 3, serverTime: 11_000, events: [event("e9", 1)] })).toBe(state);
  });

  it("parts present replace, parts absent are kept as they were", () => {
    const histogram = { edges: [0, 1], counts: [2, 0], bankrupt: 0, flat: 0 };
    const next = applyDeskDelta(state, { seq: 11, serverTime: 11_000, histogram });
    expect(next.seq).toBe(11);
    expect(next.serverTime).toBe(11_000);
    expect(next.histogram).toBe(histogram);
    expect(next.summary).toBe(state.summary);
    expect(next.queue).toBe(state.queue);
    expect(next.events).toBe(state.events);
  });

  it("the queue's time moves only with a delta that carries the queue (cool-downs count from it)", () => {
    expect(state.queueTs).toBe(10_000);
    const withoutQueue = applyDeskDelta(state, { seq: 11, serverTime: 11_000, summary });
    expect(withoutQueue.queueTs).toBe(10_000);
    const entry = { accountId: "a2", rank: 0, cooldownRemainingMs: 5000 } as QueueEntry;
    const withQueue = applyDeskDelta(withoutQueue, { seq: 12, serverTime: 12_000, queue: { total: 1, offset: 0, limit: 200, items: [entry] } });
    expect(withQueue.queueTs).toBe(12_000);
    expect(withQueue.queue.items).toEqual([entry]);
  });

  it("events are prepended newest first, without duplicates, and capped", () => {
    const next = applyDeskDelta(state, { seq: 11, serverTime: 11_000, events: [event("e4", 10_500), event("e3", 10_100), event("e2", 9_000)] });
    expect(next.events.map((e) => e.id)).toEqual(["e4", "e3", "e2", "e1"]);
    const many = Array.from({ length: FEED_EVENTS + 5 }, (_, i) => event(`n${i}`, 20_000 - i));
    const capped = applyDeskDelta(next, { seq: 12, serverTime: 12_000, events: many });
    expect(capped.events).toHaveLength(FEED_EVENTS);
    expect(capped.events[0]!.id).toBe("n0");
  });
});
