"use client";
import { useCallback, useRef, useState, type UIEvent } from "react";

/**
 * A window of rows over a tall list: fixed row height; the container scrolls over a spacer of
 * `count * rowHeight` and only rows `first .. last - 1` (the visible ones plus `overscan` each
 * side) are rendered, absolutely positioned. The count may come from data fetched for the
 * window itself, hence `rangeFor(count)`.
 */
export function useVirtualWindow({ rowHeight, viewportHeight, overscan = 8 }: {
  rowHeight: number;
  viewportHeight: number;
  overscan?: number;
}) {
  const ref = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const onScroll = useCallback((e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop), []);

  const rangeFor = (count: number) => {
    const visibleFirst = Math.min(count, Math.floor(scrollTop / rowHeight));
    const visibleLast = Math.min(count, Math.ceil((scrollTop + viewportHeight) / rowHeight));
    return {
      first: Math.max(0, visibleFirst - overscan),
      last: Math.min(count, visibleLast + overscan),
      visibleFirst,
      visibleLast,
      totalHeight: count * rowHeight,
    };
  };

  /** Scrolls the least distance that shows row `index` whole. */
  const scrollToIndex = useCallback((index: number) => {
    const el = ref.current;
    if (!el) return;
    const top = index * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
  }, [rowHeight]);

  const scrollToTop = useCallback(() => {
    if (ref.current) ref.current.scrollTop = 0;
    setScrollTop(0);
  }, []);

  return { ref, onScroll, scrollTop, rangeFor, scrollToIndex, scrollToTop };
}
