import "server-only";
import type {
  AlertCounts, AlertDetail, AlertPage, AlertRuleKind, AlertRuleView, AlertSignal, AlertsChange, AlertView, DeskUserView,
} from "@/lib/contracts/alerts";
import type { PrismaClient } from "../db/prisma-client";
import type { Logger } from "../logger";
import type { UserPrincipal } from "../auth/policy";
import { SerialQueue } from "../serial-queue";
import { applyAlertSignals, type AlertTransitions } from "../alerts/alert-store";
import { transitionsOf, type AlertTransition } from "../alerts/alert-transitions";
import { alertCounts, alertDetail, deskUsers, listAlerts } from "../alerts/alert-queries";
import { acknowledgeAlert, assignAlert, resolveAlert, snoozeAlert } from "../alerts/alert-lifecycle";
import { createAlertRule, deleteAlertRule, listAlertRules, updateAlertRule, type DeskActor } from "../alerts/alert-rules";
import { AlertsPush } from "../alerts/alerts-push";

/** Tries of one batch of signals when PostgreSQL refuses it (1, 2, 4, 8 s apart), before it is given up and logged. */
const APPLY_TRIES = 5;
/** A batch that must be written (`untilWritten`): tried again 200 ms, 400 ms, … up to 5 s apart, and this many times once told to stop. */
const RETRY_MS = 200;
const RETRY_MAX_MS = 5000;
const TRIES_AT_STOP = 3;

/** How hard `apply` tries. */
export interface ApplyOptions {
  /**
   * For signals nobody sends again (the engine's: its rule state already moved on): tried until
   * written while this says so, then `TRIES_AT_STOP` more (whatever is still unwritten is
   * recovered by the next start's evaluation). Without it: `APPLY_TRIES`, then given up (the
   * producers reconcile at the next start).
   */
  untilWritten?: () => boolean;
}

export interface AlertsServiceDeps {
  prisma: PrismaClient;
  log: Logger;
  /** Whether a market exists (a rule scoped to a market must name one). */
  marketExists(marketId: string): boolean;
  /**
   * Called after the rules changed (committed, the cache reloaded, this process's producers
   * reconciled): the engine's evaluation of the account and queue rules reloads them here
   * (`reloadAlertRules()`, connected by the runtime). A failure is logged; the change stands.
   */
  onRulesChanged?: () => void | Promise<void>;
  now?: () => number;
}

const actorOf = (user: UserPrincipal): DeskActor => ({ userId: user.userId, email: user.email });

/**
 * The desk's alerts (docs/ALERTS.md): the rules (listed, added, changed, deleted: audited), the
 * alerts (listed, counted, read with their history) and their lifecycle (acknowledge, resolve,
 * snooze, assign: guarded transactions, audited). Runs where the engine runs (the leader: other
 * instances forward every HTTP request there), and is the one place signals become alerts on the
 * live side: every producer (the engine's account and queue rules, the markets' staleness, the
 * insurance fund, margin calls, webhooks) calls `apply`, which writes them in order and pushes
 * what changed to the desk's socket room with the counts after it.
 */
export class AlertsService {
  private readonly prisma: PrismaClient;
  private readonly log: Logger;
  private readonly now: () => number;
  private readonly signals = new SerialQueue();
  private readonly push: AlertsPush;
  private readonly reconcilers: (() => void | Promise<void>)[] = [];
  private rulesCache: AlertRuleView[] = [];
  private onRulesChanged: (() => void | Promise<void>) | null;
  private stopped = false;

  constructor(private readonly deps: AlertsServiceDeps) {
    this.prisma = deps.prisma;
    this.log = deps.log;
    this.now = deps.now ?? Date.now;
    this.push = new AlertsPush(deps.prisma, deps.log);
    this.onRulesChanged = deps.onRulesChanged ?? null;
  }

  /** The hook called after every rule change (replaces the one given at construction). */
  setRulesChangedHook(hook: (() => void | Promise<void>) | null): void {
    this.onRulesChanged = hook;
  }

  /** A producer's reconciliation: run at `start` and after every rule change (raise what holds, clear what does not). */
  addReconciler(reconcile: () => void | Promise<void>): void {
    this.reconcilers.push(reconcile);
  }

  /** Loads the rules, reconciles every producer and waits for the signals that queued. */
  async start(): Promise<void> {
    this.rulesCache = await listAlertRules(this.prisma);
    await this.reconcile();
  }

  /** Pushes go to the desk's socket room from now on (`alerts:changed`). */
  attach(send: (change: AlertsChange) => void): void {
    this.push.attach(send);
  }

  /** The enabled rules of a kind, as last loaded (for the producers). */
  enabledRules(kind: AlertRuleKind): AlertRuleView[] {
    return this.rulesCache.filter((r) => r.enabled && r.kind === kind);
  }

  /**
   * Signals become alerts (`applyAlertSignals`: one unresolved per rule and subject, events and
   * audit in the same statement), one batch at a time in the order given, and what changed is
   * pushed. A batch PostgreSQL refuses is tried again (APPLY_TRIES) before later ones, so order
   * holds; given up, it is logged (the producers' reconciliation at the next start raises what
   * still holds).
   */
  apply(signals: readonly AlertSignal[], options: ApplyOptions = {}): Promise<AlertTransitions> {
    if (signals.length === 0) return Promise.resolve({ raised: [], resolved: [] });
    const batch = [...signals];
    const { untilWritten } = options;
    return this.signals.run(async () => {
      let triesAtStop = 0;
      for (let attempt = 1; ; attempt++) {
        try {
          const result = await applyAlertSignals(this.prisma, batch);
          if (attempt > 1) this.log.info({ attempt, signals: batch.length }, "alert signals written after retrying");
          this.push.notify(transitionsOf(result));
          return result;
        } catch (error) {
          const keepTrying = untilWritten ? untilWritten() || ++triesAtStop < TRIES_AT_STOP : attempt < APPLY_TRIES && !this.stopped;
          if (!keepTrying) {
            this.log.error({ err: error, signals: batch.length }, "alert signals could not be written: given up (the next start evaluates and reconciles again)");
            throw error;
          }
          if (attempt === 1 || attempt % 10 === 0) this.log.warn({ err: error, attempt, signals: batch.length }, "alert signals could not be written: trying again");
          const wait = untilWritten ? Math.min(RETRY_MAX_MS, RETRY_MS * 2 ** (attempt - 1)) : 1000 * 2 ** (attempt - 1);
          await new Promise((resolve) => setTimeout(resolve, wait));
        }
      }
    });
  }

  /**
   * Transitions `applyAlertSignals` made inside another write's transaction (a margin call's expiry
   * and its escalation alert commit together), pushed to the desk once that transaction committed.
   */
  announce(result: AlertTransitions): void {
    this.push.notify(transitionsOf(result));
  }

  /** Resolves when every signal queued so far is written (or given up). */
  idle(): Promise<void> {
    return this.signals.idle();
  }

  list(query: Record<string, string | string[] | undefined>): Promise<AlertPage> {
    return listAlerts(this.prisma, query, this.now());
  }

  async counts(): Promise<AlertCounts> {
    return (await alertCounts(this.prisma, this.now())).counts;
  }

  detail(id: string): Promise<AlertDetail> {
    return alertDetail(this.prisma, id);
  }

  deskUsers(): Promise<DeskUserView[]> {
    return deskUsers(this.prisma);
  }

  acknowledge(user: UserPrincipal, id: string, body: unknown): Promise<AlertView> {
    return this.lifecycle(acknowledgeAlert(this.prisma, actorOf(user), id, body, this.now()));
  }

  resolve(user: UserPrincipal, id: string, body: unknown): Promise<AlertView> {
    return this.lifecycle(resolveAlert(this.prisma, actorOf(user), id, body, this.now()));
  }

  snooze(user: UserPrincipal, id: string, body: unknown): Promise<AlertView> {
    return this.lifecycle(snoozeAlert(this.prisma, actorOf(user), id, body, this.now()));
  }

  assign(user: UserPrincipal, id: string, body: unknown): Promise<AlertView> {
    return this.lifecycle(assignAlert(this.prisma, actorOf(user), id, body));
  }

  private async lifecycle(done: Promise<{ alert: AlertView; transition: AlertTransition }>): Promise<AlertView> {
    const { alert, transition } = await done;
    this.push.notify([transition]);
    return alert;
  }

  rules(): Promise<AlertRuleView[]> {
    return listAlertRules(this.prisma);
  }

  async createRule(user: UserPrincipal, body: unknown): Promise<AlertRuleView> {
    const rule = await createAlertRule(this.prisma, actorOf(user), body, { marketExists: this.deps.marketExists });
    await this.rulesChanged();
    return rule;
  }

  async updateRule(user: UserPrincipal, id: string, body: unknown): Promise<AlertRuleView> {
    const { rule, transitions } = await updateAlertRule(this.prisma, actorOf(user), id, body, { marketExists: this.deps.marketExists });
    this.push.notify(transitions);
    await this.rulesChanged();
    return rule;
  }

  async deleteRule(user: UserPrincipal, id: string): Promise<AlertRuleView> {
    const rule = await deleteAlertRule(this.prisma, actorOf(user), id);
    await this.rulesChanged();
    return rule;
  }

  /** After a committed rule change: the cache reloaded, this process's producers reconciled, the hook called. */
  private async rulesChanged(): Promise<void> {
    try {
      this.rulesCache = await listAlertRules(this.prisma);
      await this.reconcile();
      await this.onRulesChanged?.();
    } catch (error) {
      this.log.error({ err: error }, "alert rules changed, but reloading them failed (the change is saved)");
    }
  }

  private async reconcile(): Promise<void> {
    for (const reconcile of this.reconcilers) {
      try {
        await reconcile();
      } catch (error) {
        this.log.error({ err: error }, "reconciling alerts failed");
      }
    }
    await this.idle();
  }

  /** No more pushes; waits for the signals queued so far. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.push.stop();
    await this.idle();
  }
}
