"use client";
import { useCallback, useEffect, useState, type CSSProperties, type ReactNode, type Ref } from "react";

/** Hands `node` to a ref of either kind. */
function assignRef<T>(ref: Ref<T> | undefined, node: T | null): void {
  if (typeof ref === "function") ref(node);
  else if (ref) (ref as { current: T | null }).current = node;
}

/**
 * A box that scrolls sideways on its own (a wide table on a narrow screen), so that the page
 * never does: while some of its content is out of view to the right, a hint says so ("⇆ scroll
 * for more columns") at its right edge. `innerRef` also receives the scrolling element.
 */
export function ScrollX({ children, className, style, hint = "more columns", innerRef, testId }: {
  children: ReactNode;
  className?: string;
  style?: CSSProperties;
  hint?: string;
  innerRef?: Ref<HTMLDivElement>;
  testId?: string;
}) {
  const [el, setEl] = useState<HTMLDivElement | null>(null);
  const [more, setMore] = useState(false);
  const ref = useCallback((node: HTMLDivElement | null) => {
    setEl(node);
    assignRef(innerRef, node);
  }, [innerRef]);
  useEffect(() => {
    if (!el) return;
    const check = () => setMore(el.scrollLeft + el.clientWidth < el.scrollWidth - 2);
    check();
    const observer = new ResizeObserver(check);
    observer.observe(el);
    for (const child of el.children) observer.observe(child);
    el.addEventListener("scroll", check, { passive: true });
    return () => {
      observer.disconnect();
      el.removeEventListener("scroll", check);
    };
  }, [el]);
  return (
    <div className="scroll-x-wrap">
      <div className={`scroll-x${className ? ` ${className}` : ""}`} style={style} ref={ref} data-testid={testId}>{children}</div>
      {more ? <span className="scroll-hint" aria-hidden data-testid="scroll-hint">⇆ scroll for {hint}</span> : null}
    </div>
  );
}
