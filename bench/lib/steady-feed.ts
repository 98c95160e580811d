/**
 * A venue's price feed at a steady rate, as the benchmarks that measure the server under load
 * drive it: every `intervalMs` (absolute schedule, open loop) each source posts one batch with a
 * tick for every demo market to POST /api/v1/ingest/prices. Every source sends the same price per
 * step (the mark is then that price) and a market's price is never the same at two steps (a tick
 * is added while the path repeats a price: keep `maxSteps` to what a run sends, a few thousand), so
 * that the engine's mark of a market says which step it has applied.
 */
import { seedMarkets } from "@/lib/sim/seed-markets";
import { postBatch } from "./ingest-http";
import { sleep } from "./live-server";
import { pricePaths, TickClock } from "./price-feed";
import { roundToTick } from "@/lib/sim/price-path";

export interface SteadyFeed {
  /** Stops after the batches in flight are answered; resolves with what was sent. */
  stop(): Promise<{ steps: number; requests: number; errors: number; skipped: number }>;
  /** The step (0-based) whose price `mark` is for `marketId`, and when it was sent (performance.now()). */
  stepOf(marketId: string, mark: number): { step: number; sentAt: number } | undefined;
}

/** At most this many requests outstanding; beyond it a source's batch is skipped (and counted). */
const MAX_IN_FLIGHT = 30;

export function startSteadyFeed(opts: { url: string; token: string; sources: string[]; intervalMs: number; maxSteps: number; seed: number }): SteadyFeed {
  const paths = pricePaths(opts.maxSteps, opts.seed);
  const byPrice = seedMarkets.map(() => new Map<number, number>());
  for (const [i, m] of seedMarkets.entries()) {
    const prices = paths[i]!;
    for (let s = 0; s < prices.length; s++) {
      let p = prices[s]!;
      while (byPrice[i]!.has(p)) p = roundToTick(p + m.tickSize, m.tickSize);
      prices[s] = p;
      byPrice[i]!.set(p, s);
    }
  }
  const sentAt: number[] = [];
  const clock = new TickClock();
  let stopped = false;
  let inFlight = 0;
  let requests = 0;
  let errors = 0;
  let skipped = 0;
  const loop = (async () => {
    const start = performance.now();
    for (let step = 0; step < opts.maxSteps && !stopped; step++) {
      const wait = start + step * opts.intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      if (stopped) break;
      sentAt[step] = performance.now();
      const ticks = seedMarkets.map((m, i) => ({ marketId: m.id, price: paths[i]![step]! }));
      for (const source of opts.sources) {
        if (inFlight >= MAX_IN_FLIGHT) {
          skipped += 1;
          continue;
        }
        inFlight += 1;
        requests += 1;
        postBatch(opts.url, opts.token, "prices", JSON.stringify({ source, ticks: clock.stamp(source, ticks) }))
          .catch(() => { errors += 1; })
          .finally(() => { inFlight -= 1; });
      }
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      while (inFlight > 0) await sleep(10);
      return { steps: sentAt.length, requests, errors, skipped };
    },
    stepOf(marketId, mark) {
      const i = seedMarkets.findIndex((m) => m.id === marketId);
      const step = i < 0 ? undefined : byPrice[i]!.get(mark);
      return step === undefined || sentAt[step] === undefined ? undefined : { step, sentAt: sentAt[step]! };
    },
  };
}
