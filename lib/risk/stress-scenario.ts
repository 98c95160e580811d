import type { RiskScenario } from "./risk-scenario";

/** Default and largest number of cascade rounds (spec §8: stop after 50 rounds). */
export const DEFAULT_MAX_ROUNDS = 50;
export const MAX_ROUNDS_LIMIT = 1000;

/** The range of a shock (spec §8): a fraction of the mark, −99% to +1000%. */
export const SHOCK_MIN = -0.99;
export const SHOCK_MAX = 10;

/** Input of a stress test: a scenario (spec §10) plus shocks, the insurance fund, a round cap and depth overrides. */
export interface StressScenario extends RiskScenario {
  /** Relative mark move by market id (`-0.10` = −10%), each in `[SHOCK_MIN, SHOCK_MAX]`; markets not listed are unshocked. */
  readonly shocks: Readonly<Record<string, number>>;
  /** Insurance fund balance before the shock (USD, default 0). */
  readonly insuranceFund?: number | undefined;
  /** Most cascade rounds (default 50; 0 = shock only). */
  readonly maxRounds?: number | undefined;
  /**
   * `depthPer1Pct` by market id for this run only (USD, finite and `> 0`), in place of the market's
   * own: the liquidity assumption the execution cost (spec §5) and the cascade's impact (§8) use.
   */
  readonly depthPer1Pct?: Readonly<Record<string, number>> | undefined;
}
