"use client";
import Link from "next/link";
import { ALERT_SEVERITIES } from "@/lib/contracts/alerts";
import { useAlertCounts } from "@/lib/client/use-alerts";
import "./alerts.css";

/**
 * The desk header's alert counts, on every desk page: open alerts no one has acknowledged (and
 * not snoozed now), by severity, live (socket room `alerts`). "…" until first read, "?" when
 * they cannot be read: never a 0 that is not known.
 */
export function AlertCountsBadge() {
  const { data, isError } = useAlertCounts();
  const a = data?.attention;
  const total = a ? a.critical + a.warning + a.info : null;
  const title = a
    ? `open alerts not acknowledged: ${a.critical} critical, ${a.warning} warning, ${a.info} info`
      + `${data!.snoozed ? ` (${data!.snoozed} snoozed)` : ""}; ${data!.acknowledged} acknowledged, not resolved`
    : isError ? "the alert counts could not be read" : "reading the alert counts";
  return (
    <Link href="/desk/alerts" className={`alert-counts${total ? " alert-counts-on" : ""}`} data-testid="alert-counts" title={title}
      data-total={total ?? ""} data-critical={a?.critical ?? ""} data-warning={a?.warning ?? ""} data-info={a?.info ?? ""}>
      <span className="alert-counts-label">Alerts</span>
      {a ? ALERT_SEVERITIES.slice().reverse().map((s) => (
        <span key={s} className={`ac ac-${s}${a[s] === 0 ? " ac-zero" : ""}`} aria-label={`${a[s]} ${s}`}>{a[s]}</span>
      )) : <span className="ac ac-zero">{isError ? "?" : "…"}</span>}
    </Link>
  );
}
