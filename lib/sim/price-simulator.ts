import type { IngestPricesInput } from "@/lib/contracts/ingest-prices";
import { createPrng, normal } from "./prng";
import { roundToTick, stepPrice, type PricePathOptions } from "./price-path";
import type { SeedMarket } from "./seed-markets";

export interface PriceSimulatorOptions {
  markets: SeedMarket[];
  /** Price sources per market; each quotes the simulated price with its own small noise. */
  sources: string[];
  tickMs: number;
  seed: number;
  /** Where the ticks go: the same ingest path a real feed uses. */
  ingest: (batch: IngestPricesInput) => Promise<unknown>;
  onError: (error: unknown) => void;
  /** Starting prices, e.g. the last marks after a restart; defaults to each market's sim.startPrice. */
  startPrices?: Map<string, number>;
  path?: Partial<PricePathOptions>;
}

/**
 * The demo's price paths: the clock runs 200 times faster than the wall clock (an hour of demo is
 * about 8 days of market), with a 2% jump about once every 250 steps.
 */
export const SIM_PATH_DEFAULTS: Omit<PricePathOptions, "annualVolatility"> = { jumpProbability: 0.002, jumpStdDev: 0.02, timeScale: 200 };

/** Noise of one source around the simulated price, as a fraction (2 bps). */
const SOURCE_NOISE = 0.0002;

/**
 * Demo price feed: every `tickMs`, each market's price takes a GBM-with-jumps step and every
 * source posts its quote of it as one ingest batch. Ingest batches never overlap: a slow
 * database slows the simulator down rather than piling up requests.
 */
export class PriceSimulator {
  private readonly random: () => number;
  private readonly prices = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inFlight: Promise<void> | null = null;
  private readonly path: PricePathOptions;

  constructor(private readonly options: PriceSimulatorOptions) {
    this.random = createPrng(options.seed);
    for (const m of options.markets) this.prices.set(m.id, options.startPrices?.get(m.id) ?? m.sim.startPrice);
    this.path = { annualVolatility: 1, ...SIM_PATH_DEFAULTS, ...options.path };
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      const started = Date.now();
      this.inFlight = this.tick(started)
        .catch((error: unknown) => this.options.onError(error))
        .finally(() => {
          this.inFlight = null;
          if (this.running) this.schedule(Math.max(0, this.options.tickMs - (Date.now() - started)));
        });
    }, delay);
  }

  /** Moves every market one step and posts one batch per source. */
  async tick(now: number): Promise<void> {
    for (const m of this.options.markets) {
      const price = this.prices.get(m.id)!;
      const next = stepPrice(price, this.options.tickMs, { ...this.path, annualVolatility: m.sim.annualVolatility }, this.random);
      this.prices.set(m.id, next);
    }
    for (const source of this.options.sources) {
      const ticks = this.options.markets.map((m) => ({
        marketId: m.id,
        price: roundToTick(this.prices.get(m.id)! * (1 + SOURCE_NOISE * normal(this.random)), m.tickSize),
        ts: now,
      }));
      await this.options.ingest({ source, ticks });
    }
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}
