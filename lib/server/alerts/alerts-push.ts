import "server-only";
import { ALERTS_CHANGE_MAX, type AlertsChange } from "@/lib/contracts/alerts";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { Pacer } from "../feeds/pacer";
import { alertCounts } from "./alert-queries";
import type { AlertTransition } from "./alert-transitions";

/** At most four pushes a second: each reads the counts once, whatever the burst behind it. */
const PUSH_INTERVAL_MS = 250;
/**
 * And the counts' query at most a twentieth of the time: the next push waits 20 times as long as
 * the last query took. With tens of thousands of unresolved alerts the query takes tens of ms
 * (38 ms on the tick-to-dom book, 30,000 raised in two minutes): four a second were 15% of a core
 * of PostgreSQL on a saturated host (docs/PERFORMANCE.md, "Tick to DOM").
 */
const COUNTS_COST_FACTOR = 20;
/** The longest a timer waits (Node's limit is ~24.8 days; a snooze is at most 7). */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The desk's alerts pushed as they change: transitions collected, coalesced (one push per
 * PUSH_INTERVAL_MS at most, ALERTS_CHANGE_MAX transitions named, the rest counted) and sent with
 * the counts read after them. The end of the earliest running snooze is a change too (an open
 * alert comes back into the header's count): one timer for it, set from the counts of each push.
 */
export class AlertsPush {
  private send: ((change: AlertsChange) => void) | null = null;
  private pending: AlertTransition[] = [];
  private readonly pacer: Pacer;
  private snoozeTimer: NodeJS.Timeout | null = null;

  constructor(private readonly prisma: PrismaClient, private readonly log: Logger, intervalMs = PUSH_INTERVAL_MS) {
    this.pacer = new Pacer(intervalMs, (now) => this.flush(now));
  }

  /** Pushes go to `send` from now on (the socket feed where the engine runs); a first push carries the counts. */
  attach(send: (change: AlertsChange) => void): void {
    this.send = send;
    this.pacer.request();
  }

  /** These alerts changed (committed): they go out with the next push. */
  notify(transitions: readonly AlertTransition[]): void {
    if (transitions.length === 0) return;
    for (const t of transitions) this.pending.push(t);
    this.pacer.request();
  }

  private async flush(now: number): Promise<void> {
    const send = this.send;
    if (!send) {
      this.pending = [];
      return;
    }
    const taken = this.pending;
    this.pending = [];
    try {
      const { counts, nextSnoozeEnd } = await alertCounts(this.prisma, now);
      this.pacer.stretch((Date.now() - now) * COUNTS_COST_FACTOR);
      send({ counts, changes: taken.slice(0, ALERTS_CHANGE_MAX), more: Math.max(0, taken.length - ALERTS_CHANGE_MAX) });
      this.watchSnooze(nextSnoozeEnd, now);
    } catch (error) {
      // The counts could not be read: the transitions go with the next push.
      this.pending = [...taken, ...this.pending];
      this.log.error({ err: error }, "alerts push failed (retried with the next change)");
      setTimeout(() => this.pacer.request(), 1000).unref();
    }
  }

  private watchSnooze(end: number | null, now: number): void {
    if (this.snoozeTimer) clearTimeout(this.snoozeTimer);
    this.snoozeTimer = null;
    if (end === null) return;
    // A few ms after the end, so that the counts read then no longer count it as snoozed.
    this.snoozeTimer = setTimeout(() => {
      this.snoozeTimer = null;
      this.pacer.request();
    }, Math.min(MAX_TIMER_MS, Math.max(0, end - now) + 5));
    this.snoozeTimer.unref();
  }

  stop(): void {
    this.pacer.stop();
    if (this.snoozeTimer) clearTimeout(this.snoozeTimer);
    this.snoozeTimer = null;
    this.send = null;
  }
}
