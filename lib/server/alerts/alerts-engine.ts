import "server-only";
import type { AlertSignal } from "@/lib/contracts/alerts";
import type { EngineClient } from "@/lib/engine";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import { loadEngineAlertRules } from "./engine-alert-rules";

/** Writes a batch of the engine's signals as alerts, in call order: `AlertsService.apply`, trying until written while `keepTrying()`. */
export type EngineSignalWriter = (signals: readonly AlertSignal[], keepTrying: () => boolean) => Promise<unknown>;

/**
 * The alert rules the engine evaluates (docs/alerts-engine.md), on the main thread of the leader
 * (the instance running the engine): loads the enabled engine-kind rules and the unresolved alerts
 * of those kinds from PostgreSQL and gives them to the engine, and hands every batch of signals the
 * engine pushes to the one writer of alerts (`AlertsService.apply`, which writes them in order and
 * pushes them to the inbox). A batch is never dropped while running: a failed write is tried again,
 * backing off, and the batches behind it wait. At stop the engine's last signals are drained and
 * written (a few attempts); whatever could not be is recovered at the next start, which evaluates
 * every rule again against the store's unresolved alerts.
 */
export class AlertsEngine {
  private readonly writing = new Set<Promise<void>>();
  private reloads: Promise<unknown> = Promise.resolve();
  private unsubscribe: (() => void) | null = null;
  private stopping = false;
  /** Batches received and not written yet. */
  backlog = 0;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly client: EngineClient,
    private readonly log: Logger,
    private readonly write: EngineSignalWriter,
  ) {}

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
      await this.idle();
      const { rules, open } = await loadEngineAlertRules(this.prisma, this.log);
      const result = await this.client.setAlertRules(rules, open, Date.now());
      this.log.info({ rules: result.rules, unresolved: open.length }, "alert rules given to the engine");
      return result;
    };
    const next = this.reloads.then(run, run);
    this.reloads = next.catch(() => undefined);
    return next;
  }

  /** Resolves when every batch received so far is written (or given up at stop). */
  async idle(): Promise<void> {
    while (this.writing.size > 0) await Promise.all([...this.writing]);
  }

  /** Takes the signals the engine has not pushed yet and waits until everything received is written. */
  async flush(): Promise<void> {
    const signals = await this.client.drainAlerts(Date.now());
    if (signals.length > 0) this.enqueue(signals);
    await this.idle();
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
    await this.idle();
  }

  private enqueue(signals: AlertSignal[]): void {
    this.backlog++;
    const done: Promise<void> = this.write(signals, () => !this.stopping)
      .then(() => undefined, (error: unknown) => this.log.error({ err: error, signals: signals.length }, "the engine's alert signals not written at stop: the next start evaluates every rule again"))
      .finally(() => {
        this.backlog--;
        this.writing.delete(done);
      });
    this.writing.add(done);
  }
}
