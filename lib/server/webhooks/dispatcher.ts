import "server-only";
import type { WebhookSettings } from "@/lib/contracts/webhooks";
import type { AlertTransitions } from "../alerts/alert-store";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { PrismaClient } from "../db/prisma-client";
import { fanOutBatch } from "./fan-out";
import { claimDue, claimOne, recordAttempts, releaseClaims, type AttemptResult, type ClaimedDelivery } from "./delivery-store";
import { attemptDelivery } from "./send";

/** How the dispatcher runs; every value has a default (`DEFAULT_DISPATCHER_OPTIONS`). */
export interface DispatcherOptions extends WebhookSettings {
  /** How often it looks for new alert events and due deliveries, ms. */
  readonly pollMs: number;
  /** Requests in flight at once (all webhooks together). */
  readonly concurrency: number;
  /** Alert events per fan-out transaction. */
  readonly fanOutBatch: number;
  /** Due deliveries claimed per webhook at a time. */
  readonly claimPerWebhook: number;
  /** Attempt results written together: at most this long after the first of them, ms. */
  readonly flushMs: number;
  /** Delivered and dead deliveries older than this are deleted, days. */
  readonly retentionDays: number;
}

export const DEFAULT_DISPATCHER_OPTIONS: DispatcherOptions = {
  pollMs: 500,
  concurrency: 4,
  timeoutMs: 5000,
  maxAttempts: 8,
  backoffBaseMs: 5000,
  backoffCapMs: 3_600_000,
  failureLimit: 10,
  fanOutBatch: 1000,
  claimPerWebhook: 50,
  flushMs: 100,
  retentionDays: 14,
};

const PRUNE_EVERY_MS = 3_600_000;
const RESULTS_PER_FLUSH = 200;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Delivers alert events to webhooks (docs/WEBHOOKS.md), on the instance running the engine, off
 * the request path: timers and async I/O only. Each pass fans new alert events out into
 * deliveries (fan-out.ts, a batch per transaction, yielding between batches) and claims due
 * deliveries; `concurrency` requests run at a time, each within `timeoutMs`; their outcomes are
 * written together every `flushMs` (delivery-store.ts), where retries are scheduled and a webhook
 * failing `failureLimit` times in a row is disabled with an alert. A webhook at its limit in
 * memory gets nothing more sent before that write has decided.
 */
export class WebhookDispatcher {
  readonly options: DispatcherOptions;
  private stopped = false;
  private started = false;
  private timer: NodeJS.Timeout | null = null;
  private passing: Promise<void> | null = null;
  private wakeAgain = false;
  private claiming: Promise<void> | null = null;
  private readonly queue: ClaimedDelivery[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private readonly inFlightByWebhook = new Map<string, number>();
  private results: AttemptResult[] = [];
  private releases: string[] = [];
  private flushing: Promise<void> | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  /** Failed attempts in a row per webhook with deliveries queued or in flight (from the claim, then each outcome). */
  private readonly streaks = new Map<string, number>();
  /** Webhooks disabled by a write while some of their deliveries were still queued. */
  private readonly disabled = new Set<string>();
  private lastPrune = 0;
  private alertsListener: ((transitions: AlertTransitions) => void) | null = null;

  constructor(private readonly prisma: PrismaClient, private readonly log: Logger, options: Partial<DispatcherOptions> = {}) {
    this.options = { ...DEFAULT_DISPATCHER_OPTIONS, ...options };
  }

  /** The dispatcher the environment configures (the LIQDESK_WEBHOOK_* settings, docs/WEBHOOKS.md). */
  static fromEnv(prisma: PrismaClient, log: Logger, env: Pick<Env, "LIQDESK_WEBHOOK_TIMEOUT_MS" | "LIQDESK_WEBHOOK_CONCURRENCY" | "LIQDESK_WEBHOOK_MAX_ATTEMPTS"
    | "LIQDESK_WEBHOOK_BACKOFF_MS" | "LIQDESK_WEBHOOK_FAILURE_LIMIT" | "LIQDESK_WEBHOOK_POLL_MS">): WebhookDispatcher {
    return new WebhookDispatcher(prisma, log, {
      timeoutMs: env.LIQDESK_WEBHOOK_TIMEOUT_MS, concurrency: env.LIQDESK_WEBHOOK_CONCURRENCY, maxAttempts: env.LIQDESK_WEBHOOK_MAX_ATTEMPTS,
      backoffBaseMs: env.LIQDESK_WEBHOOK_BACKOFF_MS, failureLimit: env.LIQDESK_WEBHOOK_FAILURE_LIMIT, pollMs: env.LIQDESK_WEBHOOK_POLL_MS,
    });
  }

  /** Hears the alerts a webhook's disabling (or the desk's enabling or deleting it) raised or resolved, once committed: the inbox's push. */
  onAlerts(listener: (transitions: AlertTransitions) => void): void {
    this.alertsListener = listener;
  }

  /** Alerts changed in a committed webhook write: to the listener. */
  announce(transitions: AlertTransitions): void {
    if (transitions.raised.length + transitions.resolved.length > 0) this.alertsListener?.(transitions);
  }

  settings(): WebhookSettings {
    const { maxAttempts, backoffBaseMs, backoffCapMs, timeoutMs, failureLimit } = this.options;
    return { maxAttempts, backoffBaseMs, backoffCapMs, timeoutMs, failureLimit };
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.schedule(0);
  }

  /** Looks for new events and due deliveries now instead of at the next poll. */
  wake(): void {
    if (!this.started || this.stopped) return;
    if (this.passing) {
      this.wakeAgain = true;
      return;
    }
    this.schedule(0);
  }

  /** Stops looking; requests in flight finish (each within the timeout), claimed but unsent ones are due again, outcomes are written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.passing;
    await this.claiming;
    this.releases.push(...this.queue.splice(0).map((d) => d.id));
    await Promise.allSettled([...this.inFlight]);
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    await this.flushing;
    await this.flush();
  }

  /**
   * Sends one pending delivery now and records it before resolving (the desk's test). Not counted
   * against its webhook, and sent even while the webhook is disabled.
   */
  async deliverNow(deliveryId: string): Promise<void> {
    const d = await claimOne(this.prisma, deliveryId, this.leaseMs());
    if (!d) return;
    const result = await attemptDelivery(d, this.options.timeoutMs);
    this.announce((await recordAttempts(this.prisma, [result], this.options)).alerts);
  }

  private leaseMs(): number {
    return this.options.timeoutMs + 60_000;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.passing = this.pass().finally(() => {
        this.passing = null;
        const again = this.wakeAgain;
        this.wakeAgain = false;
        this.schedule(again ? 0 : this.options.pollMs);
      });
    }, delayMs);
  }

  private async pass(): Promise<void> {
    try {
      for (;;) {
        const r = await fanOutBatch(this.prisma, { batch: this.options.fanOutBatch, maxAttempts: this.options.maxAttempts });
        if (!r.more || this.stopped) break;
        // The first deliveries go out while the rest of a backlog is fanned out.
        if (r.deliveries > 0) void this.claim();
        await nextTurn();
      }
    } catch (error) {
      this.log.error({ err: error }, "webhooks: fan-out failed (retried at the next poll)");
    }
    await this.claim();
    if (Date.now() - this.lastPrune > PRUNE_EVERY_MS) {
      this.lastPrune = Date.now();
      await this.prune().catch((error: unknown) => this.log.error({ err: error }, "webhooks: pruning old deliveries failed"));
    }
  }

  /** Claims due deliveries while fewer than one round of them is queued. */
  private claim(): Promise<void> {
    if (this.claiming) return this.claiming;
    if (this.stopped || this.queue.length >= this.options.concurrency * 2) return Promise.resolve();
    this.claiming = (async () => {
      try {
        const got = await claimDue(this.prisma, this.options.claimPerWebhook, this.leaseMs());
        for (const d of got) if (!this.streaks.has(d.webhookId)) this.streaks.set(d.webhookId, d.webhookFailures);
        if (this.stopped) this.releases.push(...got.map((d) => d.id));
        else this.queue.push(...got);
      } catch (error) {
        this.log.error({ err: error }, "webhooks: claiming due deliveries failed (retried at the next poll)");
      }
    })().finally(() => {
      this.claiming = null;
      this.pump();
    });
    return this.claiming;
  }

  private blocked(d: ClaimedDelivery): boolean {
    return this.disabled.has(d.webhookId) || (this.streaks.get(d.webhookId) ?? 0) >= this.options.failureLimit;
  }

  private pump(): void {
    while (!this.stopped && this.inFlight.size < this.options.concurrency && this.queue.length > 0) {
      const d = this.queue.shift()!;
      if (this.blocked(d)) {
        this.releases.push(d.id);
        this.scheduleFlush(0);
        continue;
      }
      this.inFlightByWebhook.set(d.webhookId, (this.inFlightByWebhook.get(d.webhookId) ?? 0) + 1);
      const p: Promise<void> = attemptDelivery(d, this.options.timeoutMs).then((r) => {
        this.inFlight.delete(p);
        this.inFlightByWebhook.set(d.webhookId, this.inFlightByWebhook.get(d.webhookId)! - 1);
        this.onResult(r);
        this.pump();
        if (this.queue.length < this.options.concurrency) void this.claim();
      });
      this.inFlight.add(p);
    }
  }

  private onResult(r: AttemptResult): void {
    this.results.push(r);
    const id = r.delivery.webhookId;
    if (!r.delivery.test) this.streaks.set(id, r.ok ? 0 : (this.streaks.get(id) ?? 0) + 1);
    const atLimit = !r.ok && (this.streaks.get(id) ?? 0) >= this.options.failureLimit;
    this.scheduleFlush(atLimit || this.results.length >= RESULTS_PER_FLUSH ? 0 : this.options.flushMs);
  }

  private scheduleFlush(delayMs: number): void {
    if (this.flushTimer && delayMs > 0) return;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = setTimeout(() => {
      this.flushTimer = null;
      void this.flush();
    }, delayMs);
  }

  private flush(): Promise<void> {
    if (this.flushing) {
      // One write at a time: the next one takes what came meanwhile.
      return this.flushing.then(() => (this.results.length || this.releases.length ? this.flush() : undefined));
    }
    const results = this.results;
    const releases = this.releases;
    if (results.length === 0 && releases.length === 0) return Promise.resolve();
    this.results = [];
    this.releases = [];
    this.flushing = (async () => {
      try {
        await releaseClaims(this.prisma, releases);
        const { disabled, alerts } = await recordAttempts(this.prisma, results, this.options);
        this.announce(alerts);
        for (const w of disabled) {
          this.disabled.add(w.id);
          this.log.warn({ webhookId: w.id, name: w.name, reason: w.reason }, "webhooks: webhook disabled after repeated failures");
        }
      } catch (error) {
        // Kept for the next write; should the process end first, the leases run out and the deliveries are sent again.
        this.results.unshift(...results);
        this.releases.unshift(...releases);
        this.log.error({ err: error }, "webhooks: recording delivery attempts failed (retried)");
        if (!this.stopped) this.scheduleFlush(1000);
      }
    })().finally(() => {
      this.flushing = null;
      this.forgetIdle();
    });
    return this.flushing;
  }

  /** Webhooks with nothing queued or in flight: their next claim reads their state afresh (the desk may have enabled them). */
  private forgetIdle(): void {
    const busy = new Set(this.queue.map((d) => d.webhookId));
    for (const [id, n] of this.inFlightByWebhook) if (n > 0) busy.add(id);
    for (const r of this.results) busy.add(r.delivery.webhookId);
    for (const id of [...this.streaks.keys()]) if (!busy.has(id)) this.streaks.delete(id);
    for (const id of [...this.disabled]) if (!busy.has(id)) this.disabled.delete(id);
    for (const [id, n] of this.inFlightByWebhook) if (n === 0) this.inFlightByWebhook.delete(id);
  }

  /** Deletes delivered and dead deliveries older than the retention, a few thousand per statement. */
  private async prune(): Promise<void> {
    for (;;) {
      const n = await this.prisma.$executeRaw`
        DELETE FROM webhook_deliveries WHERE id IN (
          SELECT id FROM webhook_deliveries WHERE state <> 'pending' AND created_at < now() - make_interval(days => ${this.options.retentionDays}) LIMIT 5000)`;
      if (n < 5000 || this.stopped) return;
      await nextTurn();
    }
  }
}
