import type { ReactNode } from "react";

/** A titled panel of the dashboard; `right` holds controls or the panel's age. */
export function Panel({ title, subtitle, right, children, testId, className, id }: {
  title: ReactNode;
  subtitle?: ReactNode;
  right?: ReactNode;
  children: ReactNode;
  testId?: string;
  className?: string;
  id?: string;
}) {
  return (
    <section className={`panel${className ? ` ${className}` : ""}`} data-testid={testId} id={id}
      aria-labelledby={id ? `${id}-title` : undefined}>
      <header className="panel-head">
        <div className="panel-titles">
          <h2 id={id ? `${id}-title` : undefined}>{title}</h2>
          {subtitle ? <span className="panel-subtitle">{subtitle}</span> : null}
        </div>
        {right ? <div className="panel-right">{right}</div> : null}
      </header>
      <div className="panel-body">{children}</div>
    </section>
  );
}
