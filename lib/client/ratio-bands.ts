import type { AccountStatus, RiskParams } from "@/lib/risk";

/**
 * Display bands of the margin ratio (MM / equity; 1 = 100% = liquidation), from the risk parameters
 * the server's engine runs with (spec §6; the desk snapshot and the account detail carry them):
 * warning from `warnRatio`, liquidatable from 100%, backstop above 1 / backstopFraction. Only for
 * colouring figures the server sent: statuses come from the server.
 */
export interface RatioBands {
  readonly warn: number;
  readonly liquidation: number;
  readonly backstop: number;
}

/** The bands of the running parameters. */
export function ratioBands(params: Pick<RiskParams, "warnRatio" | "backstopFraction">): RatioBands {
  return { warn: params.warnRatio, liquidation: 1, backstop: 1 / params.backstopFraction };
}

/** The band a margin ratio lies in (`null`: equity <= 0). */
export function ratioBand(ratio: number | null, bands: RatioBands): AccountStatus {
  if (ratio === null) return "bankrupt";
  if (ratio > bands.backstop) return "backstop";
  if (ratio >= bands.liquidation) return "liquidatable";
  if (ratio >= bands.warn) return "warning";
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
