import "server-only";
import type { AlertSignal } from "@/lib/contracts/alerts";
import type { EngineClient } from "@/lib/engine";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { SerialQueue } from "../serial-queue";
import { applyAlertSignals, type AlertTransitions } from "./alert-store";
import { loadEngineAlertRules } from "./engine-alert-rules";

export interface AlertsEngineOptions {
  /** First wait before a failed write is tried again (doubling up to `maxRetryMs`). Default 200 ms. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Attempts per batch once stopping (then it is left to the next start's evaluation). Default 3. */
  readonly attemptsAtStop?: number;
}

/**
 * The alert rules the engine evaluates (docs/alerts-engine.md), on the main thread of the leader
 * (the instance running the engine): loads the enabled engine-kind rules and the unresolved alerts
 * of those kinds from PostgreSQL and gives them to the engine, and writes every batch of signals
 * the engine pushes through `applyAlertSignals`, one batch at a time, in the order pushed. A batch
 * is never dropped while running: a failed write (the database away) is logged and tried again,
 * backing off, and the batches behind it wait. At stop the engine's last signals are drained and
 * written (a few attempts); whatever could not be is recovered at the next start, which evaluates
 * every rule again against the store's unresolved alerts.
 */
export class AlertsEngine {
  private readonly writes = new SerialQueue();
  private reloads: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private stopping = false;
  private readonly listeners = new Set<(transitions: AlertTransitions) => void>();
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly attemptsAtStop: number;
  /** Batches received and not written yet. */
  backlog = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly client: EngineClient,
    private readonly log: Logger,
    options: AlertsEngineOptions = {},
  ) {
    this.retryMs = options.retryMs ?? 200;
    this.maxRetryMs = options.maxRetryMs ?? 5000;
    this.attemptsAtStop = options.attemptsAtStop ?? 3;
  }

  /** Follows the engine's signals and gives it the rules (after the book is built). */
  async start(): Promise<void> {
    this.unsubscribe = this.client.onAlerts((signals) => this.enqueue(signals));
    await this.reloadAlertRules();
  }

  /**
   * Reads the rules again and gives them to the engine: call it after a rule was added, changed,
   * enabled, disabled or deleted. Resolves once the engine has them and the signals of their first
   * evaluation are queued for writing (`idle()` waits for the write). Reloads run one at a time;
   * each first waits for the signals already queued to be written, so that the unresolved alerts
   * it reads include them. A rule unchanged keeps its state in the engine (raised, minimum
   * durations running); see docs/alerts-engine.md for a changed, new or removed one.
   */
  reloadAlertRules(): Promise<{ rules: number }> {
    const run = async () => {
      await this.writes.idle();
      const { rules, open } = await loadEngineAlertRules(this.prisma, this.log);
      const result = await this.client.setAlertRules(rules, open, Date.now());
      this.log.info({ rules: result.rules, unresolved: open.length }, "alert rules given to the engine");
      return result;
    };
    const next = this.reloads.then(run, run);
    this.reloads = next.catch(() => undefined);
    return next;
  }

  /** Runs after each batch is written, with what it raised and resolved (e.g. to push the inbox). */
  onApplied(listener: (transitions: AlertTransitions) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves when every batch received so far is written. */
  idle(): Promise<void> {
    return this.writes.idle();
  }

  /** Takes the signals the engine has not pushed yet and waits until everything received is written. */
  async flush(): Promise<void> {
    const signals = await this.client.drainAlerts(Date.now());
    if (signals.length > 0) this.enqueue(signals);
    await this.writes.idle();
  }

  /** Writes the engine's last signals (a few attempts each), then stops following it. Call before the engine stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.reloads;
    try {
      await this.flush();
    } catch (error) {
      this.log.warn({ err: error }, "the engine's last alert signals could not be drained: the next start evaluates every rule again");
    }
    this.unsubscribe?.();
    this.unsubscribe = null;
    await this.writes.idle();
  }

  private enqueue(signals: AlertSignal[]): void {
    this.backlog++;
    void this.writes.run(() => this.write(signals)).finally(() => this.backlog--);
  }

  private async write(signals: AlertSignal[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        const transitions = await applyAlertSignals(this.prisma, signals);
        if (attempt > 1) this.log.info({ attempt, signals: signals.length }, "alert signals written after retrying");
        for (const listener of this.listeners) {
          try {
            listener(transitions);
          } catch (error) {
            this.log.error({ err: error }, "an alert transitions listener failed");
          }
        }
        return;
      } catch (error) {
        if (this.stopping && attempt >= this.attemptsAtStop) {
          this.log.error({ err: error, signals: signals.length }, "alert signals not written at stop: the next start evaluates every rule again");
          return;
        }
        if (attempt === 1 || attempt % 10 === 0) this.log.warn({ err: error, attempt, signals: signals.length, backlog: this.backlog }, "writing alert signals failed: trying again");
        await new Promise((resolve) => setTimeout(resolve, Math.min(this.maxRetryMs, this.retryMs * 2 ** (attempt - 1))));
      }
    }
  }
}
