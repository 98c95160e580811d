/** Planner and status parameters of spec §6 (engine config). */
export interface RiskParams {
  /** Margin ratio from which an account is `warning`. */
  readonly warnRatio: number;
  /** A partial liquidation restores `equity >= (1 + targetBuffer) * maintenanceMargin`. */
  readonly targetBuffer: number;
  /** One step closes at most this share of a large position. */
  readonly maxStepFraction: number;
  /** Positions above this notional (USD) are liquidated in steps. */
  readonly largeNotional: number;
  /** Below this share of maintenance margin, liquidate in full. */
  readonly backstopFraction: number;
  /** Least time between two steps on one account (used by the live engine, not by the pure model). */
  readonly cooldownMs: number;
}

export const DEFAULT_RISK_PARAMS: RiskParams = Object.freeze({
  warnRatio: 0.8,
  targetBuffer: 0.2,
  maxStepFraction: 0.25,
  largeNotional: 100000,
  backstopFraction: 2 / 3,
  cooldownMs: 30000,
});

/** The defaults of spec §6 with the given parameters laid over them. */
export function resolveRiskParams(overrides?: Partial<RiskParams> | null): RiskParams {
  if (!overrides) return DEFAULT_RISK_PARAMS;
  const out: { -readonly [K in keyof RiskParams]: RiskParams[K] } = { ...DEFAULT_RISK_PARAMS };
  for (const key of Object.keys(DEFAULT_RISK_PARAMS) as (keyof RiskParams)[]) {
    const value = overrides[key];
    if (value !== undefined) out[key] = value;
  }
  return out;
}
