import type { LiveStatus } from "@/lib/risk";
import { formatUsd } from "@/lib/format/usd";
import { StatusBadge } from "./status-badge";

/** Below this (a micro-dollar, the collateral's unit) a flat account's equity is nothing. */
const NOTHING = 0.0000005;

/**
 * An account's status as a coloured tag, telling the truth about a flat account (spec §3: with
 * no position the status is `healthy`): a flat account whose equity is gone says so, in debt
 * with the amount or with no margin left, never a green "healthy" that reads as safety.
 */
export function AccountStateBadge({ status, equity, positions, testId }: {
  status: LiveStatus; equity: number | null; positions: number; testId?: string;
}) {
  if (positions === 0 && equity !== null && equity < -NOTHING) {
    return (
      <span className="badge badge-flat-debt" data-testid={testId} data-state="flat-debt"
        title="no open position; the collateral is below zero: the account owes this much to the venue">
        flat · in debt {formatUsd(-equity)} USD
      </span>
    );
  }
  if (positions === 0 && equity !== null && equity <= NOTHING) {
    return (
      <span className="badge badge-flat-empty" data-testid={testId} data-state="flat-empty"
        title="no open position and no collateral left: nothing at risk, and nothing to trade with">
        flat · no margin
      </span>
    );
  }
  return <StatusBadge status={status} testId={testId} />;
}
