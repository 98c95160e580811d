"use client";
import type { ReactNode } from "react";
import { useOlderThan } from "@/lib/client/use-now";
import { Age, type Freshness } from "./age";

/**
 * A titled panel of the dashboard; `right` holds controls. A live panel gets `freshness`: its age
 * in the header, and its contents dimmed while stale (older than allowed, or known not current),
 * so that old data is never shown as current.
 */
export function Panel({ title, subtitle, right, freshness, children, testId, className, id }: {
  title: ReactNode;
  subtitle?: ReactNode;
  right?: ReactNode;
  freshness?: Freshness;
  children: ReactNode;
  testId?: string;
  className?: string;
  id?: string;
}) {
  const old = useOlderThan(freshness?.ts ?? null, freshness?.staleAfterMs ?? Number.POSITIVE_INFINITY);
  const stale = freshness !== undefined && (freshness.stale || old);
  return (
    <section className={`panel${stale ? " panel-stale" : ""}${className ? ` ${className}` : ""}`} data-testid={testId} id={id}
      aria-labelledby={id ? `${id}-title` : undefined}>
      <header className="panel-head">
        <div className="panel-titles">
          <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
          {subtitle ? <span className="panel-subtitle">{subtitle}</span> : null}
        </div>
        {right || freshness ? <div className="panel-right">{right}{freshness ? <Age {...freshness} /> : null}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
