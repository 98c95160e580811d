"use client";
import Decimal from "decimal.js";
import type { MarginCallView } from "@/lib/contracts/margin-calls";
import { useNow, useSecondsUntil } from "@/lib/client/use-now";
import { formatDateTime, formatTimeLeft } from "@/lib/format/time";
import { formatUsdExact } from "@/lib/format/usd";
import styles from "./margin-calls.module.css";

/** Under this much time left the banner turns red. */
const URGENT_S = 15 * 60;
/** A closed call's outcome stays on top of the page this long after it closed (the list keeps it). */
const OUTCOME_SHOWN_MS = 24 * 3600_000;

/**
 * The trader's margin-call banner: the open call's amount still asked (USD), its deadline with a
 * live countdown, the desk's message and who sent it; the top-up form below is filled with the
 * amount. Once the call closes, its outcome (met, or expired unmet) for a day.
 */
export function MarginCallBanner({ calls }: { calls: readonly MarginCallView[] }) {
  const open = calls.find((c) => c.state === "open");
  const now = useNow(60_000);
  if (open) return <OpenCallBanner call={open} />;
  const last = calls[0];
  if (!last || last.closedAt === null || now - last.closedAt > OUTCOME_SHOWN_MS) return null;
  if (last.state === "met") {
    return (
      <section className={`${styles.banner} ${styles.bannerMet}`} role="status" data-testid="margin-call-met" data-call-id={last.id}>
        <div className={styles.bannerHead}>
          <span className={styles.bannerTitle}>Margin call met</span>
          <span>{formatDateTime(last.closedAt)} UTC</span>
        </div>
        <div className={styles.hint}>
          {last.closeReason === "healthy"
            ? `Your account is healthy again: the call for ${formatUsdExact(last.amount)} USD is closed.`
            : `Deposits and top-ups since the call reached ${formatUsdExact(last.credited)} USD of the ${formatUsdExact(last.amount)} USD asked: the call is closed.`}
        </div>
      </section>
    );
  }
  if (last.state === "expired") {
    return (
      <section className={`${styles.banner} ${styles.bannerExpired}`} role="alert" data-testid="margin-call-expired" data-call-id={last.id}>
        <div className={styles.bannerHead}>
          <span className={styles.bannerTitle}>Margin call expired unmet</span>
          <span>deadline {formatDateTime(last.deadline)} UTC</span>
        </div>
        <div className={styles.hint}>
          {formatUsdExact(last.credited)} USD of the {formatUsdExact(last.amount)} USD asked was added in time. The risk desk has been alerted.
        </div>
      </section>
    );
  }
  return null;
}

function OpenCallBanner({ call }: { call: MarginCallView }) {
  const left = useSecondsUntil(call.deadline);
  const credited = new Decimal(call.credited);
  return (
    <section className={`${styles.banner}${left < URGENT_S ? ` ${styles.bannerUrgent}` : ""}`} role="alert" aria-live="assertive"
      data-testid="margin-call-banner" data-call-id={call.id}>
      <div className={styles.bannerHead}>
        <span className={styles.bannerTitle}>Margin call from the risk desk</span>
        <span>sent by {call.issuer.name} · {formatDateTime(call.issuedAt)} UTC</span>
      </div>
      <div className={styles.ask}>
        <span className={styles.askAmount}>Add <span data-testid="margin-call-amount" data-value={call.remaining}>{formatUsdExact(call.remaining)}</span> USD</span>
        <span className={styles.askDeadline}>by {formatDateTime(call.deadline)} UTC</span>
        <span className={styles.countdown} data-testid="margin-call-countdown" suppressHydrationWarning>{formatTimeLeft(left * 1000)} left</span>
      </div>
      {credited.gt(0) ? (
        <div className={styles.progress} data-testid="margin-call-progress">
          {formatUsdExact(call.credited)} of {formatUsdExact(call.amount)} USD added since the call
        </div>
      ) : null}
      <blockquote className={styles.message} data-testid="margin-call-message">{call.message}</blockquote>
      <div className={styles.bannerActions}>
        <a className="btn btn-primary btn-small" href="#topup-panel" data-testid="margin-call-go-topup">Top up {formatUsdExact(call.remaining)} USD ↓</a>
        <span className={styles.hint}>
          The top-up form below is filled with the amount: check its preview, then add it. Deposits count too, and the call is met
          as well if the account is healthy again before the deadline.
        </span>
      </div>
    </section>
  );
}
