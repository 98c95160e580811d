import "server-only";
import { Pacer } from "./pacer";

/** What every numbered stream sends (markets:delta, desk:delta). */
export interface NumberedDelta {
  seq: number;
  serverTime: number;
}

/**
 * The one convention of the numbered streams (markets, desk): deltas numbered `seqBase` + 1, + 2, …
 * without a gap, sent through `send` once the stream has started, at the pace of `Pacer`. A
 * client drops a delta not newer than its snapshot and resyncs on a gap, so a snapshot carries
 * `seq()`, the number of the last delta sent.
 *
 * `seqBase`: an instance that takes over the engine starts above every number the previous
 * leader's clients hold (docs/SCALING.md).
 */
export class DeltaStream<D extends NumberedDelta> {
  private last: number;
  private send: ((delta: D) => void) | null = null;
  private readonly pacer: Pacer;

  /** `flush`: builds the next delta from what changed, if anything, and `emit`s it. */
  constructor(seqBase: number, intervalMs: number, flush: (now: number) => void | Promise<void>) {
    this.last = seqBase;
    this.pacer = new Pacer(intervalMs, flush);
  }

  /** Deltas go to `send` from now on. Before, a request does nothing: a snapshot serves the state. */
  start(send: (delta: D) => void): void {
    this.send = send;
  }

  get started(): boolean {
    return this.send !== null;
  }

  /** The number of the last delta sent: a snapshot taken now is as new as that delta. */
  seq(): number {
    return this.last;
  }

  /** Something changed: a flush follows, paced. */
  request(): void {
    if (this.send) this.pacer.request();
  }

  /**
   * Numbers the next delta and sends it, in this turn: `build` gets its number. A `build` that
   * throws sends nothing and uses no number.
   */
  emit(build: (seq: number) => D): void {
    const delta = build(this.last + 1);
    this.last = delta.seq;
    this.send?.(delta);
  }

  stop(): void {
    this.pacer.stop();
    this.send = null;
  }
}
