import { normal } from "./prng";

const MS_PER_YEAR = 365 * 24 * 3600 * 1000;

export interface PricePathOptions {
  annualVolatility: number;
  /** Chance per step of a jump, and the jump's standard deviation as a fraction of the price. */
  jumpProbability: number;
  jumpStdDev: number;
  /** Speeds the clock up: one wall-clock step of dtMs moves the price as timeScale * dtMs would. */
  timeScale: number;
}

/**
 * One step of geometric Brownian motion with occasional jumps (Merton-style): the simulated
 * "true" price of a market. Drift is zero: the demo has no view on direction.
 */
export function stepPrice(price: number, dtMs: number, options: PricePathOptions, random: () => number): number {
  const dtYears = (dtMs * options.timeScale) / MS_PER_YEAR;
  const sigma = options.annualVolatility;
  let logReturn = -0.5 * sigma * sigma * dtYears + sigma * Math.sqrt(dtYears) * normal(random);
  if (random() < options.jumpProbability) logReturn += options.jumpStdDev * normal(random);
  return price * Math.exp(logReturn);
}

/** Rounds a price to the market's tick size without binary-float tails (0.1 + 0.2 style). */
export function roundToTick(price: number, tickSize: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(tickSize) + 1e-9));
  return Number((Math.round(price / tickSize) * tickSize).toFixed(decimals));
}
