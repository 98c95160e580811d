/**
 * Price tick batches for the ingest benchmarks: every market of the demo venue follows the
 * simulator's GBM-with-jumps path (lib/sim), one step per tick; every source sends the same path
 * (so that the mark, the median of the fresh sources, is the path's price), each batch a slice of
 * one source's ticks with an equal share for every market. A tick's `ts` is given when its batch
 * is sent: the send time, or 1 ms after the source's previous tick of that market when that is
 * later (a source sending more than 1,000 ticks a second of one market runs ahead of the clock;
 * one that sends fewer keeps to it, so its ticks are never stale on arrival). The last tick of
 * every market is `finalMarks`: 1% above any price of the stream, so that the engine showing it is
 * unambiguous.
 */
import { roundToTick, stepPrice } from "@/lib/sim/price-path";
import { createPrng } from "@/lib/sim/prng";
import { seedMarkets } from "@/lib/sim/seed-markets";
import type { Batch } from "./ingest-http";

/** What the simulator uses (lib/sim/price-simulator.ts). */
const PATH = { jumpProbability: 0.002, jumpStdDev: 0.02, timeScale: 200 };

export interface PriceFeed {
  /** One lane per source, its batches in order. */
  lanes: Batch[][];
  ticks: number;
  finalMarks: Map<string, number>;
}

export interface Tick {
  marketId: string;
  price: number;
  ts: number;
}

/** The price of every market after each of `steps` steps of the path (1 ms of simulated time each). */
export function pricePaths(steps: number, seed: number): number[][] {
  const random = createPrng(seed);
  return seedMarkets.map((m) => {
    const prices = new Array<number>(steps);
    let p = m.sim.startPrice;
    for (let s = 0; s < steps; s++) {
      p = stepPrice(p, 1, { ...PATH, annualVolatility: m.sim.annualVolatility }, random);
      prices[s] = roundToTick(p, m.tickSize);
    }
    return prices;
  });
}

/** Gives each tick of a source its `ts` at send time: now, or 1 ms after its market's previous tick. */
export class TickClock {
  private readonly last = new Map<string, number>();

  stamp(source: string, ticks: Omit<Tick, "ts">[]): Tick[] {
    const now = Date.now();
    return ticks.map((t) => {
      const key = `${source}|${t.marketId}`;
      const ts = Math.max(now, (this.last.get(key) ?? 0) + 1);
      this.last.set(key, ts);
      return { ...t, ts };
    });
  }
}

/**
 * `sources` sources, `batchesPerSource` batches each of `ticksPerBatch` ticks (a multiple of the
 * number of markets). Reuse `clock` across feeds of the same sources.
 */
export function priceFeed(opts: { sources: string[]; batchesPerSource: number; ticksPerBatch: number; seed: number; clock: TickClock }): PriceFeed {
  const perMarket = opts.ticksPerBatch / seedMarkets.length;
  if (!Number.isInteger(perMarket)) throw new Error(`ticksPerBatch must be a multiple of ${seedMarkets.length}`);
  const steps = perMarket * opts.batchesPerSource;
  const paths = pricePaths(steps, opts.seed);
  for (const [i, m] of seedMarkets.entries()) {
    const prices = paths[i]!;
    prices[steps - 1] = roundToTick(prices.reduce((a, b) => Math.max(a, b), 0) * 1.01, m.tickSize);
  }
  const finalMarks = new Map(seedMarkets.map((m, i) => [m.id, paths[i]![steps - 1]!]));
  const lanes = opts.sources.map((source) => {
    const lane: Batch[] = [];
    for (let b = 0; b < opts.batchesPerSource; b++) {
      const ticks: Omit<Tick, "ts">[] = [];
      for (let s = b * perMarket; s < (b + 1) * perMarket; s++) {
        seedMarkets.forEach((m, i) => ticks.push({ marketId: m.id, price: paths[i]![s]! }));
      }
      lane.push({ body: () => JSON.stringify({ source, ticks: opts.clock.stamp(source, ticks) }), items: ticks.length });
    }
    return lane;
  });
  return { lanes, ticks: opts.sources.length * steps * seedMarkets.length, finalMarks };
}

/**
 * The first `count` ticks of a feed with this seed as rows, for the naive baseline: step by step,
 * every source, every market (so that concurrent writers spread over every source's rows), `ts`
 * 1 ms apart from `startTs`.
 */
export function feedRows(opts: { sources: string[]; count: number; seed: number; startTs: number }): (Tick & { source: string })[] {
  const steps = Math.ceil(opts.count / (opts.sources.length * seedMarkets.length));
  const paths = pricePaths(steps, opts.seed);
  const rows: (Tick & { source: string })[] = [];
  for (let s = 0; s < steps; s++) {
    for (const source of opts.sources) {
      seedMarkets.forEach((m, i) => rows.push({ source, marketId: m.id, price: paths[i]![s]!, ts: opts.startTs + s }));
    }
  }
  return rows.slice(0, opts.count);
}
