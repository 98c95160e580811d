"use client";
import { useEffect, useRef, useState } from "react";

/**
 * `value`, but changing at most once per `ms`: the newest value is shown at the end of each
 * window (never starved, never older than `ms`). Live tables re-render a few times a second
 * instead of at every socket frame.
 */
export function useThrottled<T>(value: T, ms: number): T {
  const [shown, setShown] = useState(value);
  const lastShownAt = useRef(0);
  useEffect(() => {
    if (Object.is(value, shown)) return;
    const wait = Math.max(0, lastShownAt.current + ms - Date.now());
    const id = setTimeout(() => {
      lastShownAt.current = Date.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(id);
  }, [value, shown, ms]);
  return shown;
}
