/**
 * `marginRatio = maintenanceMargin / equity` when `equity > 0`; `0` with no position (whatever the
 * equity); `null` when `equity <= 0` (spec §3). 1 (100%) is the liquidation line.
 */
export function marginRatio(equity: number, maintenanceMargin: number, hasPositions: boolean): number | null {
  if (!hasPositions) return 0;
  return equity > 0 ? maintenanceMargin / equity : null;
}

/** `health = equity / maintenanceMargin`; `null` with no position (spec §3). May be negative. */
export function health(equity: number, maintenanceMargin: number, hasPositions: boolean): number | null {
  return hasPositions ? equity / maintenanceMargin : null;
}
