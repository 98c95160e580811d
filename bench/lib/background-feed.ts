/**
 * The tick-to-DOM benchmark's background feed (docs/PERFORMANCE.md, "Tick to DOM"): keeps a book
 * busy while the measured ticks arrive. Every book market gets a price tick about once a second,
 * one market per POST, the markets staggered evenly over each second (market i at i/n of it), each
 * price a random walk of at most ±`step` a tick, kept within ±`band` of the market's start mark.
 *
 * `walkStep` is pure (tested in tests/unit/bench/tick-to-dom.test.ts); `startBackgroundFeed` does
 * the posting.
 */
import { roundToTick } from "@/lib/sim/price-path";
import { mulberry32 } from "./prng";
import { sleep } from "./live-server";

export interface FeedMarket { id: string; tickSize: number; mark: number }

/** The next price of a walk: `price` moved by up to ±step (u in [0, 1)), reflected back inside start × (1 ± band), on the market's tick grid. */
export function walkStep(price: number, start: number, u: number, step: number, band: number, tickSize: number): number {
  const lo = start * (1 - band), hi = start * (1 + band);
  let next = price * (1 + step * (2 * u - 1));
  if (next > hi) next = hi - (next - hi);
  if (next < lo) next = lo + (lo - next);
  return roundToTick(Math.min(hi, Math.max(lo, next)), tickSize);
}

export interface BackgroundFeed {
  /** Stops the feed and waits for the POSTs in flight. */
  stop(): Promise<void>;
  /** Counts and answer times (ms) since the last `mark()`, as of now (a copy). */
  stats(): { sent: number; skipped: number; errors: number; ackMs: number[] };
  /** Starts a new count (the measured window). */
  mark(): void;
}

export interface BackgroundFeedOptions {
  /** POSTs one batch (the body's `ticks`); resolves to the HTTP status. */
  post: (ticks: { marketId: string; price: number; ts: number }[]) => Promise<number>;
  markets: FeedMarket[];
  seed: number;
  step: number;
  band: number;
  /** Each market's period, ms. */
  periodMs?: number;
  /** A slot is skipped while this many POSTs are unanswered, so that a slow server does not pile them up (and when this process falls behind schedule). */
  maxInFlight?: number;
}

export function startBackgroundFeed(o: BackgroundFeedOptions): BackgroundFeed {
  const periodMs = o.periodMs ?? 1000;
  const maxInFlight = o.maxInFlight ?? o.markets.length;
  const random = mulberry32(o.seed);
  const prices = o.markets.map((m) => m.mark);
  const inFlight = new Set<Promise<void>>();
  let counts = { sent: 0, skipped: 0, errors: 0, ackMs: [] as number[] };
  let stopped = false;
  const slotMs = periodMs / o.markets.length;
  const loop = (async () => {
    const t0 = performance.now();
    for (let s = 0; !stopped; s++) {
      // Behind schedule (this process busy): skip the missed slots rather than send them in a burst.
      const late = Math.floor((performance.now() - t0) / slotMs) - s;
      if (late > 1) { s += late; counts.skipped += late; }
      await sleep(Math.max(0, t0 + s * slotMs - performance.now()));
      if (stopped) break;
      const i = s % o.markets.length;
      const m = o.markets[i]!;
      prices[i] = walkStep(prices[i]!, m.mark, random(), o.step, o.band, m.tickSize);
      if (inFlight.size >= maxInFlight) { counts.skipped += 1; continue; }
      const c = counts;
      c.sent += 1;
      const sentAt = performance.now();
      const p: Promise<void> = o.post([{ marketId: m.id, price: prices[i]!, ts: Date.now() }])
        .then((status) => { if (status === 200) c.ackMs.push(performance.now() - sentAt); else c.errors += 1; },
          () => { c.errors += 1; })
        .finally(() => { inFlight.delete(p); });
      inFlight.add(p);
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
      await Promise.all([...inFlight]);
    },
    stats: () => ({ ...counts, ackMs: [...counts.ackMs] }),
    mark() { counts = { sent: 0, skipped: 0, errors: 0, ackMs: [] }; },
  };
}
