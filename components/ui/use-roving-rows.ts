"use client";
import { useEffect, useLayoutEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from "react";

/**
 * Keyboard navigation over table rows keyed by id: one row is in the tab order; arrows, Page
 * Up/Down, Home and End move focus; Enter opens the row. Follows the id, not the index, so that
 * live re-ordering keeps focus on the same account. Works for virtualized tables: `reveal(index)`
 * scrolls the row into view (it may be rendered only then), and the row is focused once it is in
 * the DOM. Rows carry `data-row-key` (from `rowProps`) inside the element `containerRef` is on.
 * A live update that moves or re-mounts the focused row (it re-ordered, or scrolled out of a
 * virtual window and back) must not drop the user's place: focus goes back to the row after the
 * update unless the user moved it elsewhere (clicked or tabbed out).
 */
export function useRovingRows(ids: readonly string[], { open, reveal, pageRows = 10 }: {
  /** What Enter does on a row; none: Enter does nothing. */
  open?: (id: string) => void;
  reveal?: (index: number) => void;
  pageRows?: number;
}) {
  const containerRef = useRef<HTMLDivElement>(null);
  const [activeId, setActiveId] = useState<string | null>(null);
  const pendingFocus = useRef<string | null>(null);
  const focusInside = useRef(false);
  const current = activeId !== null && ids.includes(activeId) ? activeId : (ids[0] ?? null);

  const rowOf = (id: string) => containerRef.current?.querySelector<HTMLElement>(`[data-row-key="${CSS.escape(id)}"]`) ?? null;

  // After every update: focus the row asked for by a key once it is in the DOM, or give focus back
  // to the active row when the update took it away (the focused node was moved or unmounted).
  useLayoutEffect(() => {
    const id = pendingFocus.current ?? (focusInside.current && !containerRef.current?.contains(document.activeElement) ? current : null);
    if (id === null) return;
    const el = rowOf(id);
    if (el) {
      pendingFocus.current = null;
      el.focus({ preventScroll: true });
    }
  });

  // A click elsewhere takes the user's place out of the table.
  useEffect(() => {
    const onPointerDown = (e: PointerEvent) => {
      if (!containerRef.current?.contains(e.target as Node)) focusInside.current = false;
    };
    document.addEventListener("pointerdown", onPointerDown, true);
    return () => document.removeEventListener("pointerdown", onPointerDown, true);
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (current === null) return;
    const i = ids.indexOf(current);
    const go = (j: number) => {
      e.preventDefault();
      const index = Math.max(0, Math.min(ids.length - 1, j));
      const id = ids[index]!;
      setActiveId(id);
      pendingFocus.current = id;
      if (reveal) reveal(index);
      else rowOf(id)?.scrollIntoView({ block: "nearest" });
    };
    switch (e.key) {
      case "ArrowDown": return go(i + 1);
      case "ArrowUp": return go(i - 1);
      case "PageDown": return go(i + pageRows);
      case "PageUp": return go(i - pageRows);
      case "Home": return go(0);
      case "End": return go(ids.length - 1);
      case "Enter":
        if (!open || (e.target as HTMLElement).tagName === "A") return;
        e.preventDefault();
        open(current);
    }
  };

  const rowProps = (id: string) => ({
    "data-row-key": id,
    tabIndex: id === current ? 0 : -1,
    onFocus: () => {
      focusInside.current = true;
      setActiveId(id);
    },
    onBlur: (e: FocusEvent) => {
      // Tabbing out moves focus to an element outside; an update that removes the row moves it nowhere.
      if (e.relatedTarget instanceof Node && !containerRef.current?.contains(e.relatedTarget)) focusInside.current = false;
    },
  });

  return { containerRef, rowProps, onKeyDown, activeId: current };
}
