import "server-only";
import Decimal from "decimal.js";
import type { LiveStatus } from "@/lib/risk";

/** The figures that say whether an account is in danger (the engine's view, or the top-up preview's "before"). */
export interface DangerFigures {
  readonly status: LiveStatus;
  /** null while unknown (a market it holds never had a price). */
  readonly equity: number | null;
}

/** Below this (half a micro-dollar: the collateral's unit is one) a flat account's debt is float noise, as the pages read it. */
const NOTHING = 0.0000005;

/**
 * Healthy again, in the sense a margin call asks for: spec §3 status `healthy` with equity of at
 * least 0 (to the micro-dollar, `NOTHING`). A flat account in debt is `healthy` by spec §3 (no maintenance margin) but still owes
 * its debt: it is not out of danger, and is shown "flat · in debt" (account-state-badge.tsx).
 * An account of unknown status is neither in danger nor out of it: nothing is decided on it.
 */
export function isHealthyAgain(f: DangerFigures): boolean {
  return f.status === "healthy" && f.equity !== null && f.equity >= -NOTHING;
}

/** In danger: a known status that is not healthy again (warning or worse, or flat in debt). */
export function isInDanger(f: DangerFigures): boolean {
  return f.status !== "unknown" && !isHealthyAgain(f);
}

/**
 * The amount a call asks for by default, USD (a decimal string): the top-up preview's preset
 * `healthy` (the tier-aware top-up-to-safe: the least whole cent that makes the account healthy,
 * lib/risk `topUpEffect`) or, for a flat account in debt (no preset: spec §3 calls it healthy),
 * its debt rounded up to the cent. null when it is not in danger.
 */
export function suggestedCallAmount(f: DangerFigures, healthyPreset: string | null): string | null {
  if (!isInDanger(f)) return null;
  if (healthyPreset !== null) return healthyPreset;
  if (f.equity !== null && f.equity < -NOTHING) return new Decimal(String(-f.equity)).toDecimalPlaces(2, Decimal.ROUND_UP).toFixed();
  return null;
}
