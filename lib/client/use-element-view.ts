"use client";
import { useCallback, useEffect, useState } from "react";

/** One IntersectionObserver and one ResizeObserver for the whole page: each element gets its callbacks. */
const onScreenListeners = new Map<Element, (onScreen: boolean) => void>();
const widthListeners = new Map<Element, (width: number) => void>();
let intersections: IntersectionObserver | null = null;
let resizes: ResizeObserver | null = null;

function observeOnScreen(el: Element, listener: (onScreen: boolean) => void): () => void {
  // No margin: a part just outside the viewport still shows what it last drew (never a blank), and
  // catches up as soon as any of it is in view.
  intersections ??= new IntersectionObserver((entries) => {
    for (const e of entries) onScreenListeners.get(e.target)?.(e.isIntersecting);
  });
  onScreenListeners.set(el, listener);
  intersections.observe(el);
  return () => {
    onScreenListeners.delete(el);
    intersections?.unobserve(el);
  };
}

function observeWidth(el: Element, listener: (width: number) => void): () => void {
  resizes ??= new ResizeObserver((entries) => {
    for (const e of entries) widthListeners.get(e.target)?.(Math.floor(e.contentRect.width));
  });
  widthListeners.set(el, listener);
  resizes.observe(el);
  return () => {
    widthListeners.delete(el);
    resizes?.unobserve(el);
  };
}

/**
 * Whether an element is on screen (or about to be) and how wide it is, from the page's shared
 * observers: both change only when the user scrolls or resizes, never per update. Before the
 * first observation the element counts as on screen and its width is unknown (0).
 */
export function useElementView<T extends Element>(): { ref: (el: T | null) => void; onScreen: boolean; width: number } {
  const [el, setEl] = useState<T | null>(null);
  const [onScreen, setOnScreen] = useState(true);
  const [width, setWidth] = useState(0);
  const ref = useCallback((node: T | null) => setEl(node), []);
  useEffect(() => {
    if (!el) return;
    const stopOnScreen = observeOnScreen(el, setOnScreen);
    const stopWidth = observeWidth(el, setWidth);
    return () => {
      stopOnScreen();
      stopWidth();
    };
  }, [el]);
  return { ref, onScreen, width };
}
