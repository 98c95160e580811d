/** Account statuses of spec §3, from safest to worst. */
export const ACCOUNT_STATUSES = ["healthy", "warning", "liquidatable", "backstop", "bankrupt"] as const;
export type AccountStatus = (typeof ACCOUNT_STATUSES)[number];

/** Numeric status codes for columnar use: the index in `ACCOUNT_STATUSES`. */
export const STATUS_HEALTHY = 0;
export const STATUS_WARNING = 1;
export const STATUS_LIQUIDATABLE = 2;
export const STATUS_BACKSTOP = 3;
export const STATUS_BANKRUPT = 4;

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
