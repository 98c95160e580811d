"use client";
import { useCallback, useSyncExternalStore } from "react";

/** One shared clock per interval: every age on the page ticks in the same render pass. */
const clocks = new Map<number, { now: number; listeners: Set<() => void>; timer: ReturnType<typeof setInterval> | null }>();

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
  if (clock.timer === null) {
    clock.timer = setInterval(() => {
      clock.now = Date.now();
      for (const l of clock.listeners) l();
    }, intervalMs);
  }
  return () => {
    clock.listeners.delete(onTick);
    if (clock.listeners.size === 0 && clock.timer !== null) {
      clearInterval(clock.timer);
      clock.timer = null;
    }
  };
}

/** The current time, re-rendering every `intervalMs`: ages on screen keep counting. */
export function useNow(intervalMs = 1000): number {
  const sub = useCallback((onTick: () => void) => subscribe(intervalMs, onTick), [intervalMs]);
  const read = useCallback(() => {
    const clock = clockOf(intervalMs);
    // Not ticking (first render, or on the server): refresh a reading older than one interval.
    if (clock.timer === null && Date.now() - clock.now >= intervalMs) clock.now = Date.now();
    return clock.now;
  }, [intervalMs]);
  return useSyncExternalStore(sub, read, read);
}
