import type { LiveStatus } from "@/lib/risk";

const TITLES: Record<LiveStatus, string> = {
  healthy: "margin ratio below 80%",
  warning: "margin ratio 80% or more",
  liquidatable: "margin ratio 100% or more: equity at or below maintenance margin",
  backstop: "equity below 2/3 of maintenance margin (ratio above 150%): closed in full",
  bankrupt: "equity at or below zero",
  unknown: "holds a position in a market that has never had a price: its figures are unknown",
};

/** An account status as a coloured tag. */
export function StatusBadge({ status, testId }: { status: LiveStatus; testId?: string }) {
  return <span className={`badge badge-${status}`} title={TITLES[status]} data-testid={testId} data-state={testId ? status : undefined}>{status}</span>;
}
