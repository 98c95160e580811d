import { FEED_EVENTS, type DeskDelta, type LiquidationEventView } from "@/lib/contracts/desk";
import type { DeskState } from "./desk-state";

/** Newest first, without duplicates (a resync can resend events already shown), at most FEED_EVENTS. */
function mergeEvents(newer: LiquidationEventView[], older: LiquidationEventView[]): LiquidationEventView[] {
  const seen = new Set<string>();
  const out: LiquidationEventView[] = [];
  for (const e of [...newer, ...older]) {
    if (seen.has(e.id)) continue;
    seen.add(e.id);
    out.push(e);
    if (out.length === FEED_EVENTS) break;
  }
  return out;
}

/**
 * The desk state with a numbered delta applied: summary, histogram and queue are replaced when
 * present, events are prepended. A delta not newer than the snapshot is dropped (the same object
 * comes back, so nothing re-renders).
 */
export function applyDeskDelta(current: DeskState, delta: DeskDelta): DeskState {
  if (delta.seq <= current.seq) return current;
  return {
    seq: delta.seq,
    serverTime: delta.serverTime,
    summary: delta.summary ?? current.summary,
    histogram: delta.histogram ?? current.histogram,
    queue: delta.queue ?? current.queue,
    queueTs: delta.queue ? delta.serverTime : current.queueTs,
    events: delta.events && delta.events.length > 0 ? mergeEvents(delta.events, current.events) : current.events,
  };
}
