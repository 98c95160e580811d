import { describe, expect, it } from "vitest";
import { applyDeskDelta } from "@/lib/client/apply-desk-delta";
import { deskStateOf, type DeskState } from "@/lib/client/desk-state";
import { FEED_EVENTS, type DeskSnapshot, type DeskSummary, type LiquidationEventView } from "@/lib/contracts/desk";
import type { QueueEntry } from "@/lib/contracts/book-views";
import { DEFAULT_RISK_PARAMS } from "@/lib/risk";

const summary: DeskSummary = {
  book: {
    markets: 1, staleMarkets: [], accounts: 2, accountsWithPositions: 2, positions: 2,
    byStatus: { healthy: 1, warning: 0, liquidatable: 1, backstop: 0, bankrupt: 0, unknown: 0 },
    mmShortfall: 10, pendingNotional: 1000, expectedDeficit: 0, queue: { size: 1, paused: 0, byMode: { none: 0, partial: 1, full: 0 }, plansPending: 0 },
    debt: { accounts: 0, total: 0, largest: [] },
  },
  fund: { balance: "250000", uncoveredBadDebt: "0", coversMove: 0.2, coversMoveTs: 1, coversMoveUnknownAccounts: { count: 0, markets: [] } },
};

function event(id: string, executedAt: number): LiquidationEventView {
  return {
    id, accountId: "a1", marketId: "BTC-PERP", side: "sell", qty: "0.1", price: "60000", markPrice: "60010", notional: "6000",
    fee: "6", slippage: "1", realizedPnl: "-10", deficit: "0", mode: "partial", executedAt,
  };
}

/** A queue entry as the engine sends it (only the fields these tests look at vary). */
function entry(accountId: string, rank: number, equity: number, cooldownRemainingMs = 0): QueueEntry {
  return {
    accountId, rank, status: "liquidatable", equity, maintenanceMargin: 120, marginRatio: 120 / equity, health: equity / 120, shortfall: 120 - equity,
    mode: "partial", plan: { mode: "partial", closes: [], nextStep: null, after: { equity, maintenanceMargin: 0 }, deficit: 0 }, nextStep: null,
    lastStepAt: cooldownRemainingMs > 0 ? 1 : null, cooldownRemainingMs, paused: false, pausedReason: null, tierBefore: null, tierAfter: null,
  };
}

const snapshot: DeskSnapshot = {
  seq: 10, serverTime: 10_000, summaryTs: 10_000, histogramTs: 10_000, riskParams: { ...DEFAULT_RISK_PARAMS, staleAfterMs: 10_000 }, summary,
  histogram: { edges: [0, 1], counts: [1, 1], bankrupt: 0, flat: 0, unknown: 0 },
  queue: { total: 3, offset: 0, limit: 200, items: [entry("a", 0, 100), entry("b", 1, 105, 20_000), entry("c", 2, 110)] },
  events: [event("e2", 9_000), event("e1", 8_000)],
};
const state = deskStateOf(snapshot);

/** Applies a delta that must follow on. */
function apply(current: DeskState, delta: Parameters<typeof applyDeskDelta>[1]): DeskState {
  const next = applyDeskDelta(current, delta);
  if (next === null) throw new Error(`delta ${delta.seq} did not apply`);
  return next;
}

describe("applying a desk delta in the browser", () => {
  it("a delta not newer than the state is dropped (same object: nothing re-renders)", () => {
    expect(applyDeskDelta(state, { seq: 10, serverTime: 11_000, summary })).toBe(state);
    expect(applyDeskDelta(state, { seq: 3, serverTime: 11_000, events: [event("e9", 1)] })).toBe(state);
  });

  it("a delta that skips a number (a frame the server dropped) is not applied: null, resync from a snapshot", () => {
    expect(applyDeskDelta(state, { seq: 12, serverTime: 12_000, summary })).toBeNull();
    expect(applyDeskDelta(state, { seq: 11, serverTime: 11_000, summary })).not.toBeNull();
  });

  it("parts present replace, parts absent are kept as they were", () => {
    const histogram = { edges: [0, 1], counts: [2, 0], bankrupt: 0, flat: 0, unknown: 0 };
    const next = apply(state, { seq: 11, serverTime: 11_000, histogram });
    expect(next.seq).toBe(11);
    expect(next.serverTime).toBe(11_000);
    expect(next.histogram).toBe(histogram);
    expect(next.summary).toBe(state.summary);
    expect(next.queue).toBe(state.queue);
    expect(next.events).toBe(state.events);
    expect(next.riskParams).toBe(state.riskParams);
  });

  it("a heartbeat (no part) moves only the sequence and the server time", () => {
    const next = apply(state, { seq: 11, serverTime: 12_000 });
    expect(next).toEqual({ ...state, seq: 11, serverTime: 12_000, summaryTs: 12_000, histogramTs: 12_000 });
    expect(next.queue).toBe(state.queue);
    expect(next.queueTs).toBe(state.queueTs);
  });

  it("a summary or histogram the server held back (paced) keeps the time it was last current: its age is not reset by the delta", () => {
    const held = apply(state, { seq: 11, serverTime: 10_300, summaryTs: 10_000, histogramTs: 10_000 });
    expect(held.serverTime).toBe(10_300);
    expect(held.summaryTs).toBe(10_000);
    expect(held.histogramTs).toBe(10_000);
    const sent = apply(held, { seq: 12, serverTime: 10_600, summary, histogramTs: 10_000 });
    expect(sent.summaryTs).toBe(10_600);
    expect(sent.histogramTs).toBe(10_000);
  });

  it("queue row changes: upserts replace rows by account, removed rows go, the order places them; untouched rows keep their object", () => {
    const a2 = entry("a", 0, 99);
    const d = entry("d", 1, 101);
    const next = apply(state, {
      seq: 11, serverTime: 10_000,
      queue: { total: 40, order: ["a", "d", "c"], upserts: [a2, d], removed: ["b"] },
    });
    expect(next.queue.total).toBe(40);
    expect(next.queue.items.map((e) => e.accountId)).toEqual(["a", "d", "c"]);
    expect(next.queue.items[0]).toBe(a2);
    expect(next.queue.items[2]).toEqual({ ...state.queue.items[2], rank: 2 });
    expect(next.queue.items.map((e) => e.rank)).toEqual([0, 1, 2]);

    // Rows change in place without an order: the places stay.
    const c2 = entry("c", 2, 111);
    const after = apply(next, { seq: 12, serverTime: 10_000, queue: { total: 40, upserts: [c2], removed: [] } });
    expect(after.queue.items.map((e) => e.accountId)).toEqual(["a", "d", "c"]);
    expect(after.queue.items[2]).toBe(c2);
    expect(after.queue.items[0]).toBe(next.queue.items[0]);
  });

  it("the queue's time moves with a queue part and the cool-downs of the rows kept count down to it (each row ends at queueTs + remaining)", () => {
    expect(state.queueTs).toBe(10_000);
    const withoutQueue = apply(state, { seq: 11, serverTime: 11_000, summary });
    expect(withoutQueue.queueTs).toBe(10_000);
    const withQueue = apply(withoutQueue, { seq: 12, serverTime: 16_000, queue: { total: 3, upserts: [entry("c", 2, 109, 30_000)], removed: [] } });
    expect(withQueue.queueTs).toBe(16_000);
    const dueAt = (s: DeskState, id: string) => s.queueTs + s.queue.items.find((e) => e.accountId === id)!.cooldownRemainingMs;
    expect(dueAt(withQueue, "b")).toBe(dueAt(state, "b")); // 30,000: the same end, measured from the new time
    expect(withQueue.queue.items.find((e) => e.accountId === "b")!.cooldownRemainingMs).toBe(14_000);
    expect(dueAt(withQueue, "c")).toBe(46_000); // sent now, measured now
    const later = apply(withQueue, { seq: 13, serverTime: 60_000, queue: { total: 3, upserts: [entry("a", 0, 98)], removed: [] } });
    expect(later.queue.items.find((e) => e.accountId === "b")!.cooldownRemainingMs).toBe(0);
  });

  it("queue changes that do not fit the rows held (an order naming a row never sent) are not applied: null", () => {
    expect(applyDeskDelta(state, { seq: 11, serverTime: 11_000, queue: { total: 4, order: ["a", "x", "b", "c"], upserts: [], removed: [] } })).toBeNull();
  });

  it("events are prepended newest first, without duplicates, and capped", () => {
    const next = apply(state, { seq: 11, serverTime: 11_000, events: [event("e4", 10_500), event("e3", 10_100), event("e2", 9_000)] });
    expect(next.events.map((e) => e.id)).toEqual(["e4", "e3", "e2", "e1"]);
    const many = Array.from({ length: FEED_EVENTS + 5 }, (_, i) => event(`n${i}`, 20_000 - i));
    const capped = apply(next, { seq: 12, serverTime: 12_000, events: many });
    expect(capped.events).toHaveLength(FEED_EVENTS);
    expect(capped.events[0]!.id).toBe("n0");
  });
});
