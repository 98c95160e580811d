import "server-only";

/**
 * How often a room may get a push: DESIGN's "at most 10 updates per second per room", with a margin.
 * At exactly 100 ms a stream at its cap (the desk under a 50 ms feed) was received 11 times in some
 * 1 s windows (a client's receive times jitter; a timer may fire a millisecond early):
 * `npm run bench -- tick-to-browser`, docs/PERFORMANCE.md. At 110 ms ten gaps span 1.1 s.
 */
export const ROOM_PUSH_INTERVAL_MS = 110;

/**
 * The one pacing of every feed's pushes (DESIGN: at most 10 updates per second per room): `run`
 * goes at most once per `intervalMs`, the first time at once (in the next turn, so that what the
 * current turn queues goes with it), later ones at the end of the interval since the last run
 * began. Requests in between are one run. A run that returns a promise is never overlapped: a
 * request during it is served after it, still no sooner than the interval allows.
 */
export class Pacer {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private lastRun = 0;
  /** How much longer than `intervalMs` the next run waits (`stretch`); 0 again once it ran. */
  private extraMs = 0;

  constructor(private readonly intervalMs: number, private readonly run: (now: number) => void | Promise<void>) {}

  request(): void {
    if (this.stopped || this.timer) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.timer = setTimeout(this.fire, Math.max(0, this.lastRun + this.intervalMs + this.extraMs - Date.now()));
  }

  /**
   * The next run no sooner than `ms` after the last one began (if that is longer than the
   * interval), once: a run whose work costs more can keep its share of the time bounded.
   */
  stretch(ms: number): void {
    this.extraMs = Math.max(0, ms - this.intervalMs);
  }

  private readonly fire = (): void => {
    this.timer = null;
    this.lastRun = Date.now();
    this.extraMs = 0;
    const done = this.run(this.lastRun);
    if (!(done instanceof Promise)) return;
    this.running = true;
    void done.finally(() => {
      this.running = false;
      if (!this.again) return;
      this.again = false;
      this.request();
    });
  };

  /** No run after this (one in progress finishes). */
  stop(): void {
    this.stopped = true;
    this.again = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
