/** Account statuses of spec §3, from safest to worst. */
export const ACCOUNT_STATUSES = ["healthy", "warning", "liquidatable", "backstop", "bankrupt"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/**
 * An account's status in the live book: spec §3's, or `unknown` while it holds a position in a
 * market that has never had a price (spec §7: its figures are unknown, never valued at the entry
 * price; it is neither queued nor liquidated until that market is priced).
 */
export type LiveStatus = AccountStatus | "unknown";

/** Spec §3's statuses, safest to worst, then `unknown`: the index is the live book's status code. The one list of statuses. */
export const LIVE_STATUSES = [...ACCOUNT_STATUSES, "unknown"] as const satisfies readonly LiveStatus[];

/** Numeric status codes for columnar use: the index in `ACCOUNT_STATUSES` (`LIVE_STATUSES` for `unknown`). */
export const STATUS_HEALTHY = 0;
export const STATUS_WARNING = 1;
export const STATUS_LIQUIDATABLE = 2;
export const STATUS_BACKSTOP = 3;
export const STATUS_BANKRUPT = 4;
/** Status code of `unknown` (after spec §3's five). */
export const STATUS_UNKNOWN = ACCOUNT_STATUSES.length;

/**
 * Status code of an account (spec §3, first match wins): no position → healthy; `equity <= 0` →
 * bankrupt; `equity < backstopFraction * MM` → backstop; `equity <= MM` → liquidatable;
 * `MM / equity >= warnRatio` → warning; otherwise healthy. Use `ACCOUNT_STATUSES[code]` for the name.
 */
export function accountStatusCode(
  equity: number,
  maintenanceMargin: number,
  hasPositions: boolean,
  warnRatio: number,
  backstopFraction: number,
): number {
  if (!hasPositions) return STATUS_HEALTHY;
  if (equity <= 0) return STATUS_BANKRUPT;
  if (equity < backstopFraction * maintenanceMargin) return STATUS_BACKSTOP;
  if (equity <= maintenanceMargin) return STATUS_LIQUIDATABLE;
  if (maintenanceMargin / equity >= warnRatio) return STATUS_WARNING;
  return STATUS_HEALTHY;
}

/** `accountStatusCode` by name. */
export function accountStatus(
  equity: number,
  maintenanceMargin: number,
  hasPositions: boolean,
  warnRatio: number,
  backstopFraction: number,
): AccountStatus {
  return ACCOUNT_STATUSES[accountStatusCode(equity, maintenanceMargin, hasPositions, warnRatio, backstopFraction)]!;
}

/**
 * The worse of two status codes (spec §11: an account's status is the worst of its units, in the
 * order bankrupt, backstop, liquidatable, warning, healthy). The codes are ordered safest to worst,
 * so it is the larger; `STATUS_UNKNOWN` is worse than all of them.
 */
export function worseStatusCode(a: number, b: number): number {
  return a > b ? a : b;
}

/** `worseStatusCode` by name: the worst of the given statuses, `healthy` for none. */
export function worstStatus(...statuses: readonly AccountStatus[]): AccountStatus {
  let code = STATUS_HEALTHY;
  for (const s of statuses) code = worseStatusCode(code, ACCOUNT_STATUSES.indexOf(s));
  return ACCOUNT_STATUSES[code]!;
}
