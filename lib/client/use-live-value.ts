"use client";
import { startTransition, useEffect, useState } from "react";
import { nextBeat, type Beat } from "./redraw-beats";

/**
 * `value` as shown on screen: taken on a fixed beat (redraw-beats.ts) and only while `active` (on
 * screen). Several heavy parts fed by one update then redraw one after another, each in its own
 * short task, instead of all together in one long task; one that is off screen keeps what it last
 * showed and does no work until it is back.
 * A new value that `same` finds equal to the one shown is not taken (nothing redraws); until
 * `ready` holds for the value shown (a chart with nothing drawn yet), values are taken even while
 * not active. The redraw is a transition: React renders it in slices that yield to input.
 */
export function useLiveValue<T>(value: T, { beat, active = true, same = Object.is, ready = always }: {
  beat: Beat;
  active?: boolean;
  /** Stable functions (module level). */
  same?: (a: T, b: T) => boolean;
  ready?: (shown: T) => boolean;
}): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    if ((!active && ready(shown)) || Object.is(value, shown) || same(value, shown)) return;
    const now = Date.now();
    const id = setTimeout(() => startTransition(() => setShown(value)), nextBeat(beat, now) - now);
    return () => clearTimeout(id);
  }, [value, shown, beat, active, same, ready]);
  return shown;
}

function always(): boolean {
  return true;
}
