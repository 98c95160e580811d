"use client";
import type { ReactNode } from "react";
import { useOlderThan } from "@/lib/client/use-now";
import { Age } from "./age";

/**
 * One live headline figure: label, value with its unit, an explanation, and the figure's age.
 * Stale (known not current, or older than `staleAfterMs`), the value is greyed out and the age
 * says STALE: it is never shown as current. `rawValue` goes into `data-value` for tests and tooltips.
 */
export function Figure({ label, value, unit, hint, ts, stale, staleAfterMs, testId, rawValue, tone, title, children }: {
  label: string;
  value: ReactNode;
  unit?: string;
  hint?: ReactNode;
  ts: number | null;
  stale: boolean;
  staleAfterMs: number;
  testId?: string;
  rawValue?: string | number | null;
  tone?: "ok" | "warn" | "bad" | "muted";
  title?: string;
  children?: ReactNode;
}) {
  const old = useOlderThan(ts, staleAfterMs);
  return (
    <div className={stale || old ? "figure figure-stale" : "figure"} data-testid={testId} data-stale={stale || old}
      data-value={rawValue === undefined || rawValue === null ? undefined : String(rawValue)} title={title}>
      <div className="figure-label">{label}</div>
      <div className={`figure-value num${tone ? ` tone-${tone}` : ""}`}>
        {value}{unit ? <span className="unit"> {unit}</span> : null}
      </div>
      {children}
      {hint ? <div className="figure-hint">{hint}</div> : null}
      <div className="figure-foot">
        <Age ts={ts} stale={stale} staleAfterMs={staleAfterMs} />
      </div>
    </div>
  );
}
