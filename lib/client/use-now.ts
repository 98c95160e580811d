"use client";
import { useCallback, useSyncExternalStore } from "react";
import { CLOCK_BEAT, nextBeat } from "./redraw-beats";

/**
 * One shared clock per interval: every age on the page ticks in the same render pass, at the
 * clock's own offset of the second (redraw-beats.ts), between the beats of the live data.
 */
const clocks = new Map<number, { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setTimeout> | null }>();

function clockOf(intervalMs: number) {
  let clock = clocks.get(intervalMs);
  if (!clock) {
    clock = { now: Date.now(), listeners: new Set(), timer: null };
    clocks.set(intervalMs, clock);
  }
  return clock;
}

function subscribe(intervalMs: number, onTick: () => void): () => void {
  const clock = clockOf(intervalMs);
  clock.listeners.add(onTick);
  const beat = { periodMs: intervalMs, offsetMs: CLOCK_BEAT.offsetMs % intervalMs };
  const schedule = () => {
    const now = Date.now();
    clock.timer = setTimeout(tick, nextBeat(beat, now) - now);
  };
  const tick = () => {
    clock.now = Date.now();
    for (const l of clock.listeners) l();
    if (clock.listeners.size > 0) schedule();
    else clock.timer = null;
  };
  if (clock.timer === null) schedule();
  return () => {
    clock.listeners.delete(onTick);
    if (clock.listeners.size === 0 && clock.timer !== null) {
      clearTimeout(clock.timer);
      clock.timer = null;
    }
  };
}

function readClock(intervalMs: number): number {
  const clock = clockOf(intervalMs);
  // Not ticking (first render, or on the server): refresh a reading older than one interval.
  if (clock.timer === null && Date.now() - clock.now >= intervalMs) clock.now = Date.now();
  return clock.now;
}

/** The current time, re-rendering every `intervalMs`: ages on screen keep counting. */
export function useNow(intervalMs = 1000): number {
  const sub = useCallback((onTick: () => void) => subscribe(intervalMs, onTick), [intervalMs]);
  const read = useCallback(() => readClock(intervalMs), [intervalMs]);
  return useSyncExternalStore(sub, read, read);
}

/**
 * Whole seconds until `dueAt` (epoch ms, 0 once passed), on the shared one-second clock. The caller
 * re-renders only when the number changes: a countdown that has run out costs nothing per tick.
 */
export function useSecondsUntil(dueAt: number): number {
  const sub = useCallback((onTick: () => void) => subscribe(1000, onTick), []);
  // The time now, not the clock's last tick (up to a second old): a row that arrives due must read
  // "due now" at once, not "1 s" until the next tick. A whole number, so re-reads agree.
  const read = useCallback(() => Math.max(0, Math.ceil((dueAt - Date.now()) / 1000)), [dueAt]);
  return useSyncExternalStore(sub, read, read);
}

/**
 * True once `ts` (epoch ms) is more than `ms` old; false while there is no `ts`. On the shared
 * one-second clock, re-rendering the caller only when the answer changes.
 */
export function useOlderThan(ts: number | null, ms: number): boolean {
  const sub = useCallback((onTick: () => void) => subscribe(1000, onTick), []);
  const read = useCallback(() => ts !== null && readClock(1000) - ts > ms, [ts, ms]);
  return useSyncExternalStore(sub, read, read);
}
