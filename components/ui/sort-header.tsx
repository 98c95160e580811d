"use client";
import type { ReactNode } from "react";

export type SortDir = "asc" | "desc";

/** A sortable column header: click or Enter toggles; the arrow and `aria-sort` say which way. */
export function SortHeader({ label, active, dir, onSort, title, className, testId }: {
  label: ReactNode;
  active: boolean;
  dir: SortDir;
  onSort: () => void;
  title?: string;
  className?: string;
  /** On the button. */
  testId?: string;
}) {
  return (
    <span role="columnheader" className={`th sortable${className ? ` ${className}` : ""}`}
      aria-sort={active ? (dir === "asc" ? "ascending" : "descending") : "none"} title={title}>
      <button type="button" className="sort-button" onClick={onSort} data-testid={testId}>
        {label}
        <span className="sort-arrow" aria-hidden>{active ? (dir === "asc" ? "▲" : "▼") : "↕"}</span>
      </button>
    </span>
  );
}
