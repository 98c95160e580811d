"use client";
import { useCallback, useRef, useState, type KeyboardEvent } from "react";
import { useRouter } from "next/navigation";

/**
 * Keyboard navigation over table rows keyed by account id: one row is in the tab order; arrows,
 * Page Up/Down, Home and End move focus; Enter opens the account. Follows the account, not the
 * index, so live re-ordering keeps focus on the same account.
 */
export function useRovingRows(ids: readonly string[], hrefOf: (id: string) => string) {
  const router = useRouter();
  const [activeId, setActiveId] = useState<string | null>(null);
  const rows = useRef(new Map<string, HTMLElement>());
  const current = activeId !== null && ids.includes(activeId) ? activeId : (ids[0] ?? null);

  const focus = useCallback((id: string) => {
    setActiveId(id);
    const el = rows.current.get(id);
    if (el) {
      el.focus({ preventScroll: true });
      el.scrollIntoView({ block: "nearest" });
    }
  }, []);

  const onKeyDown = (e: KeyboardEvent) => {
    if (current === null) return;
    const i = ids.indexOf(current);
    const go = (j: number) => {
      e.preventDefault();
      const id = ids[Math.max(0, Math.min(ids.length - 1, j))];
      if (id !== undefined) focus(id);
    };
    switch (e.key) {
      case "ArrowDown": return go(i + 1);
      case "ArrowUp": return go(i - 1);
      case "PageDown": return go(i + 10);
      case "PageUp": return go(i - 10);
      case "Home": return go(0);
      case "End": return go(ids.length - 1);
      case "Enter":
        if ((e.target as HTMLElement).tagName === "A") return;
        e.preventDefault();
        router.push(hrefOf(current));
    }
  };

  const rowProps = (id: string) => ({
    ref: (el: HTMLElement | null) => {
      if (el) rows.current.set(id, el);
      else rows.current.delete(id);
    },
    tabIndex: id === current ? 0 : -1,
    onFocus: () => setActiveId(id),
  });

  return { rowProps, onKeyDown, activeId: current };
}
