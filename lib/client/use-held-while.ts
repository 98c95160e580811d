"use client";
import { useState } from "react";

/**
 * `value`, except that while `held` (its part is off screen) the value shown when the hold began is
 * kept: nothing under it re-renders, lays out or paints for updates nobody can see. Released, the
 * current value is shown at once, in the same render.
 */
export function useHeldWhile<T>(value: T, held: boolean): T {
  const [kept, setKept] = useState(value);
  if (!held && !Object.is(kept, value)) setKept(value);
  return held ? kept : value;
}
