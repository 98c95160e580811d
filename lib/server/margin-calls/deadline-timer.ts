import "server-only";

/** The longest a timer waits before it looks again (a deadline 30 days out is beyond setTimeout's 24.8 days). */
const MAX_DELAY_MS = 3_600_000;

/**
 * One timer for the nearest deadline of the open calls (not a scan on a beat): `arm` with the
 * earliest deadline sets it, `fire` runs at that time (at once for one already past). Re-armed
 * by its owner after every change of the open calls and after each sweep.
 */
export class DeadlineTimer {
  private timer: NodeJS.Timeout | null = null;
  /** The deadline it is set for (ms), null when idle. */
  armedFor: number | null = null;

  constructor(private readonly fire: () => void, private readonly maxDelayMs = MAX_DELAY_MS) {}

  arm(deadline: number | null, now = Date.now()): void {
    this.clear();
    if (deadline === null) return;
    this.armedFor = deadline;
    const delay = Math.min(Math.max(0, deadline - now), this.maxDelayMs);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.armedFor = null;
      this.fire();
    }, delay);
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.armedFor = null;
  }
}
