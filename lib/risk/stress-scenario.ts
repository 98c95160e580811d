import type { RiskScenario } from "./risk-scenario";

/** Default and largest number of cascade rounds (spec §8: stop after 50 rounds). */
export const DEFAULT_MAX_ROUNDS = 50;
export const MAX_ROUNDS_LIMIT = 1000;

/** Input of a stress test: a scenario (spec §10) plus shocks, the insurance fund and a round cap. */
export interface StressScenario extends RiskScenario {
  /** Relative mark move by market id (`-0.10` = −10%), each `> -1`; markets not listed are unshocked. */
  readonly shocks: Readonly<Record<string, number>>;
  /** Insurance fund balance before the shock (USD, default 0). */
  readonly insuranceFund?: number | undefined;
  /** Most cascade rounds (default 50; 0 = shock only). */
  readonly maxRounds?: number | undefined;
}
