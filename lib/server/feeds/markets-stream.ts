import "server-only";
import { ROOM_PUSH_INTERVAL_MS } from "./pacer";
import type { MarketsResponse, MarketView, MarkUpdate } from "@/lib/contracts/markets";
import type { MarketsDelta } from "@/lib/contracts/socket-events";
import { serverMetrics } from "../metrics";
import { DeltaStream } from "./delta-stream";


/**
 * The markets room's stream: each market's new state as its marks are refreshed, coalesced into
 * numbered MarketsDeltas. Only the latest state of each market is kept between pushes, so a burst
 * of ticks becomes one push and never grows a buffer. A snapshot is every market as it is now,
 * numbered with the last delta sent: the next delta may repeat a market's state, never go back.
 */
export class MarketsStream {
  private readonly out: DeltaStream<MarketsDelta>;
  private readonly pending = new Map<string, MarkUpdate>();
  /** Per market, the receipt time of the oldest price tick the pending update carries (tick-to-push latency). */
  private readonly pendingReceipts = new Map<string, number>();

  constructor(private readonly markets: { views(now: number): MarketView[] }, seqBase = 0) {
    this.out = new DeltaStream(seqBase, ROOM_PUSH_INTERVAL_MS, (now) => this.flush(now));
  }

  /** Deltas go to `send` from now on (nothing is queued before). */
  start(send: (delta: MarketsDelta) => void): void {
    this.out.start(send);
  }

  /** Queues a market's new state; it goes with the next delta. `receivedAt`: when the tick behind it arrived. */
  publish(update: MarkUpdate, receivedAt?: number): void {
    if (!this.out.started) return;
    this.pending.set(update.marketId, update);
    if (receivedAt !== undefined && !this.pendingReceipts.has(update.marketId)) this.pendingReceipts.set(update.marketId, receivedAt);
    this.out.request();
  }

  private flush(now: number): void {
    if (this.pending.size === 0) return;
    const updates = [...this.pending.values()];
    this.pending.clear();
    this.out.emit((seq) => ({ seq, serverTime: now, updates }));
    const latency = serverMetrics().tickToPushSeconds;
    for (const receivedAt of this.pendingReceipts.values()) latency.observe(Math.max(0, now - receivedAt) / 1000);
    this.pendingReceipts.clear();
  }

  snapshot(): MarketsResponse {
    const now = Date.now();
    return { seq: this.out.seq(), serverTime: now, markets: this.markets.views(now) };
  }

  stop(): void {
    this.out.stop();
  }
}
