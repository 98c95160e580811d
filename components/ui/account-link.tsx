"use client";
import type { ReactNode } from "react";
import { useRouter } from "next/navigation";

/** The desk's page of an account. */
export function accountHref(id: string): string {
  return `/desk/accounts/${encodeURIComponent(id)}`;
}

/**
 * A link to an account's page for long live tables: a plain anchor with client-side navigation,
 * without next/link's per-link viewport observer and prefetch (hundreds of rows redraw each second).
 */
export function AccountLink({ id, tabIndex, children }: { id: string; tabIndex?: number; children?: ReactNode }) {
  const router = useRouter();
  const href = accountHref(id);
  return (
    <a href={href} tabIndex={tabIndex} onClick={(e) => {
      if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
      e.preventDefault();
      router.push(href);
    }}>
      {children ?? id}
    </a>
  );
}
