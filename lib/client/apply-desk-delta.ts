import { FEED_EVENTS, type DeskDelta, type LiquidationEventView } from "@/lib/contracts/desk";
import { applyQueueChanges } from "@/lib/contracts/apply-queue-changes";
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
 * The desk state with the next numbered delta applied: summary and histogram are replaced when
 * present, the queue's row changes applied (cool-downs of the rows kept are counted down to the
 * delta's time, so every row's cool-down is measured from `queueTs`), events prepended. A delta
 * without any part (a heartbeat) moves `serverTime` (and the summary's and histogram's times, unless
 * it says they are older) only.
 *
 * - A delta not newer than the state is dropped: the same object comes back, nothing re-renders.
 * - `null` when the delta does not follow on from the state (its `seq` skips one: a frame was
 *   dropped, or its queue changes do not fit the rows held): the caller must resync from a fresh
 *   snapshot, the state as it is cannot be patched.
 */
export function applyDeskDelta(current: DeskState, delta: DeskDelta): DeskState | null {
  if (delta.seq <= current.seq) return current;
  if (delta.seq !== current.seq + 1) return null;
  let queue = current.queue;
  if (delta.queue) {
    const next = applyQueueChanges(current.queue, delta.queue, delta.serverTime - current.queueTs);
    if (!next) return null;
    queue = next;
  }
  return {
    ...current,
    seq: delta.seq,
    serverTime: delta.serverTime,
    summary: delta.summary ?? current.summary,
    summaryTs: delta.summaryTs ?? delta.serverTime,
    histogram: delta.histogram ?? current.histogram,
    histogramTs: delta.histogramTs ?? delta.serverTime,
    queue,
    queueTs: delta.queue ? delta.serverTime : current.queueTs,
    events: delta.events && delta.events.length > 0 ? mergeEvents(delta.events, current.events) : current.events,
  };
}
