"use client";
import { useEffect, useState } from "react";

/**
 * `value`, shown on a fixed beat: once per `periodMs`, at offset `slot / slots` of the period.
 * Several heavy charts fed by one update then redraw one after another, each in its own short
 * task, instead of all together in one long task that freezes the page.
 */
export function useStaggered<T>(value: T, slot: number, slots: number, periodMs: number): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const offset = ((slot % slots) * periodMs) / slots;
    const now = Date.now();
    const next = Math.floor((now - offset) / periodMs) * periodMs + offset + periodMs;
    const id = setTimeout(() => setShown(value), next - now);
    return () => clearTimeout(id);
  }, [value, shown, slot, slots, periodMs]);
  return shown;
}
