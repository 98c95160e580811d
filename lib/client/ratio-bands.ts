import type { AccountStatus } from "@/lib/risk";

/**
 * Display bands of the margin ratio (MM / equity; 1 = 100% = liquidation), at the engine's default
 * parameters (spec §6): warning from `warnRatio` 80%, liquidatable from 100%, backstop above
 * 1 / backstopFraction = 150%. Only for colouring figures the server sent: statuses come from the server.
 */
export const WARN_RATIO = 0.8;
export const LIQUIDATION_RATIO = 1;
export const BACKSTOP_RATIO = 1.5;

/** The band a margin ratio lies in (`null`: equity <= 0). */
export function ratioBand(ratio: number | null): AccountStatus {
  if (ratio === null) return "bankrupt";
  if (ratio > BACKSTOP_RATIO) return "backstop";
  if (ratio >= LIQUIDATION_RATIO) return "liquidatable";
  if (ratio >= WARN_RATIO) return "warning";
  return "healthy";
}

/** Colours of the statuses, for charts (the CSS uses the same values as variables). */
export const STATUS_COLORS: Record<AccountStatus, string> = {
  healthy: "#3fb950",
  warning: "#d29922",
  liquidatable: "#f85149",
  backstop: "#bc4cff",
  bankrupt: "#8b1d1d",
};

export const STATUS_LABELS: Record<AccountStatus, string> = {
  healthy: "healthy",
  warning: "warning",
  liquidatable: "liquidatable",
  backstop: "backstop",
  bankrupt: "bankrupt",
};
