import "server-only";
import { InputError, parseInput } from "@/lib/contracts/api-error";
import type { AccountView } from "@/lib/contracts/book-views";
import { cancelMarginCallSchema, type MarginCallsResponse, type MarginCallSuggestion, type MarginCallUpdate, type MarginCallView } from "@/lib/contracts/margin-calls";
import type { TopUpPreview } from "@/lib/contracts/topup";
import type { ChangeSet } from "@/lib/engine";
import { formatMarginRatio } from "@/lib/format/percent";
import { formatUsdExact } from "@/lib/format/usd";
import type { PrismaClient } from "../db/prisma-client";
import type { Env } from "../env";
import type { Logger } from "../logger";
import type { UserPrincipal } from "../auth/policy";
import { isHttpError } from "../errors";
import { applyAlertSignals, type AlertTransitions } from "../alerts/alert-store";
import { isHealthyAgain, isInDanger, suggestedCallAmount } from "./account-danger";
import { DeadlineTimer } from "./deadline-timer";
import { checkMarginCall } from "./issue-margin-call";
import {
  cancelMarginCall, expireDue, insertMarginCall, listMarginCalls, marginCallsByIds, meetByCredits, meetByHealth, openMarginCalls,
  type ClosedCall, type ExpiredCall, type OpenCall,
} from "./margin-call-store";

/** After a failed sweep (the database refused), the next attempt this much later. */
const RETRY_MS = 5000;
/** The rule an expired call raises (lib/server/alerts/default-rules.ts). */
export const MARGIN_CALL_EXPIRED_RULE = "margin-call-expired";
const SUBJECT_PREFIX = "margin_call:";

export interface MarginCallsDeps {
  prisma: PrismaClient;
  log: Logger;
  env: Pick<Env, "LIQDESK_TOPUP_MAX">;
  /** The engine's live view of an account (null: the engine does not know it). */
  accountView(accountId: string, now: number): Promise<AccountView | null>;
  /** The top-up preview without an amount (lib/server/topup): the account as it is and the top-up-to-safe presets. */
  preview(accountId: string): Promise<TopUpPreview>;
  /** The engine's change sets (LiveEngine `onChanges`): an open call's account changing status is checked for health. */
  changes(listener: (changes: ChangeSet) => void): () => void;
  /** Escalation alerts raised with an expiry, once its transaction committed (to the desk's inbox). */
  alertsRaised(transitions: AlertTransitions): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Margin calls on the instance that runs the engine (docs/MARGIN-CALLS.md). Keeps the open calls in
 * memory (which account, until when: loaded at start, kept with every transition) only to know
 * which deposits, status changes and deadlines concern one; every decision is a conditional update
 * in PostgreSQL (margin-call-store.ts), so a restart, a retry or a second instance never moves a
 * call twice. A call is met when deposits and top-ups since it reach its amount (checked right
 * after each such commit, and again at start and at its deadline) or when the engine reports its
 * account healthy again (a change set naming a status change of its account; at start; at issue);
 * it expires at its deadline, one timer for the nearest, raising its escalation alert in the same
 * transaction. Each transition is pushed to the account's room and the desk at once.
 */
export class MarginCalls {
  private readonly open = new Map<string, OpenCall>();
  private readonly timer = new DeadlineTimer(() => this.sweep());
  private publish: (update: MarginCallUpdate) => void = () => undefined;
  private unfollow: (() => void) | null = null;
  private sweeping: Promise<void> | null = null;
  private sweepAgain = false;
  private healthDue = new Set<string>();
  private healthRun: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: MarginCallsDeps) {}

  /** Loads the open calls, settles what happened while no process watched (credits, health, deadlines), then follows the engine. */
  async start(): Promise<void> {
    for (const call of await openMarginCalls(this.deps.prisma)) this.open.set(call.accountId, call);
    await this.closed(await meetByCredits(this.deps.prisma, null));
    await this.checkHealth([...this.open.keys()]);
    this.unfollow = this.deps.changes((c) => this.onChanges(c));
    this.rearm();
    this.deps.log.info({ open: this.open.size }, "margin calls: open calls loaded, expiry timer armed");
  }

  /** Stops the timer and the engine's change sets; waits for a sweep or health check in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unfollow?.();
    this.unfollow = null;
    this.timer.clear();
    await this.sweeping?.catch(() => undefined);
    await this.healthRun?.catch(() => undefined);
  }

  /** Where transitions are pushed (the socket feeds, once attached). */
  publishTo(publish: (update: MarginCallUpdate) => void): void {
    this.publish = publish;
  }

  /** `POST /api/v1/accounts/:id/margin-calls` (desk): checked, written with its audit row, pushed; the call as it stands after the checks. */
  async issue(user: UserPrincipal, accountId: string, body: unknown): Promise<MarginCallView> {
    const call = await checkMarginCall({ ...this.deps, now: Date.now }, user, accountId, body);
    const open = await insertMarginCall(this.deps.prisma, call);
    this.open.set(accountId, open);
    this.rearm();
    await this.push([open.id]);
    // A deposit committed between the ledger mark and now, or a move to healthy since the check,
    // was not yet tied to this call by the hooks: look once more.
    await this.creditsCommitted([accountId]);
    await this.checkHealth([accountId]);
    const [view] = await marginCallsByIds(this.deps.prisma, [open.id]);
    return view!;
  }

  /** `GET /api/v1/accounts/:id/margin-calls`: the account's calls, newest first; for the desk also what a new call would ask. */
  async list(accountId: string, forDesk: boolean): Promise<MarginCallsResponse> {
    const [calls, suggestion] = await Promise.all([
      listMarginCalls(this.deps.prisma, accountId),
      forDesk ? this.suggestion(accountId) : Promise.resolve(null),
    ]);
    return { accountId, calls, suggestion, serverTime: Date.now() };
  }

  /** `POST /api/v1/accounts/:id/margin-calls/:callId/cancel` (desk, with a note). */
  async cancel(user: UserPrincipal, accountId: string, callId: string, body: unknown): Promise<MarginCallView> {
    if (!/^\d{1,19}$/.test(callId)) throw new InputError([{ path: "callId", message: `must be a margin call id (a string of digits; got ${JSON.stringify(callId.slice(0, 40))})` }]);
    const { note } = parseInput(cancelMarginCallSchema, body);
    const closed = await cancelMarginCall(this.deps.prisma, { accountId, callId, userId: user.userId, note });
    const [view] = await this.closed([closed]);
    return view!;
  }

  /** Deposits or top-ups of these accounts just committed: their open calls are met if the credits since reach the amount. */
  async creditsCommitted(accountIds: readonly string[]): Promise<void> {
    const concerned = [...new Set(accountIds)].filter((id) => this.open.has(id));
    if (concerned.length === 0) return;
    try {
      await this.closed(await meetByCredits(this.deps.prisma, concerned));
    } catch (error) {
      // Not lost: the deadline's sweep and the next start count the credits again.
      this.deps.log.error({ err: error, accountIds: concerned }, "margin calls: checking credits failed");
    }
  }

  private onChanges(changes: ChangeSet): void {
    if (this.open.size === 0 || changes.statusChanged === 0) return;
    const ids = changes.ids ? changes.ids.statusChanged.filter((id) => this.open.has(id)) : [...this.open.keys()];
    if (ids.length === 0) return;
    for (const id of ids) this.healthDue.add(id);
    this.healthRun ??= this.runHealthChecks().finally(() => {
      this.healthRun = null;
    });
  }

  private async runHealthChecks(): Promise<void> {
    while (this.healthDue.size > 0 && !this.stopped) {
      const ids = [...this.healthDue];
      this.healthDue = new Set();
      await this.checkHealth(ids).catch((error: unknown) => this.deps.log.error({ err: error }, "margin calls: health check failed"));
    }
  }

  /** The open calls of these accounts whose engine view is healthy again: met. */
  private async checkHealth(accountIds: readonly string[]): Promise<void> {
    const now = Date.now();
    const healthy: { accountId: string; marginRatio: number | null }[] = [];
    for (const id of accountIds) {
      if (!this.open.has(id)) continue;
      const view = await this.deps.accountView(id, now);
      if (view && isHealthyAgain(view)) healthy.push({ accountId: id, marginRatio: view.marginRatio });
    }
    await this.closed(await meetByHealth(this.deps.prisma, healthy));
  }

  /** Expires the calls past their deadline (those healthy or paid by then are met instead), then arms the timer for the next. */
  private sweep(): void {
    if (this.sweeping) {
      this.sweepAgain = true;
      return;
    }
    let failed = false;
    this.sweeping = this.expireDue()
      .catch((error: unknown) => {
        failed = true;
        this.deps.log.error({ err: error }, "margin calls: expiry sweep failed, trying again shortly");
      })
      .finally(() => {
        this.sweeping = null;
        if (this.stopped) return;
        if (failed) this.timer.arm(Date.now() + RETRY_MS);
        else if (this.sweepAgain) {
          this.sweepAgain = false;
          this.sweep();
        } else this.rearm();
      });
  }

  private async expireDue(): Promise<void> {
    if (this.stopped) return;
    const now = Date.now();
    const due = [...this.open.values()].filter((c) => c.deadline <= now);
    if (due.length === 0) return;
    await this.checkHealth(due.map((c) => c.accountId));
    const raised: AlertTransitions["raised"][number][] = [];
    const { met, expired } = await expireDue(this.deps.prisma, now, (tx, calls) => this.raiseExpiry(tx as unknown as PrismaClient, calls, now, raised));
    if (raised.length > 0) this.deps.alertsRaised({ raised, resolved: [] });
    // Every call due at `now` is closed in PostgreSQL now (met or expired by this transaction, or before it).
    for (const c of due) if (this.open.get(c.accountId)?.id === c.id) this.open.delete(c.accountId);
    await this.closed([...met, ...expired]);
  }

  /**
   * The escalation alerts of expired calls, raised through the one way signals become alerts, in
   * the expiry's transaction (`tx`: a transaction client, which `applyAlertSignals` uses only for
   * its raw statements). Returns call id → alert id for the ones raised.
   */
  private async raiseExpiry(tx: PrismaClient, calls: readonly ExpiredCall[], now: number, announce: AlertTransitions["raised"][number][]): Promise<Map<string, string>> {
    const { raised } = await applyAlertSignals(tx, calls.map((c) => ({
      ruleId: MARGIN_CALL_EXPIRED_RULE,
      subject: `${SUBJECT_PREFIX}${c.id}`,
      raise: true,
      at: now,
      accountId: c.accountId,
      value: Number(c.amount),
      message: `margin call #${c.id} on account "${c.accountId}" for ${formatUsdExact(c.amount)} USD expired unmet at ${iso(c.deadline)} `
        + `(deposits and top-ups since: ${formatUsdExact(c.credited)} USD)`,
    })));
    announce.splice(0, announce.length, ...raised);
    return new Map(raised.map((r) => [r.subject.slice(SUBJECT_PREFIX.length), r.id]));
  }

  /** Calls a transition closed: forgotten as open, the timer re-armed, pushed; their views. */
  private async closed(calls: readonly ClosedCall[]): Promise<MarginCallView[]> {
    if (calls.length === 0) return [];
    for (const c of calls) if (this.open.get(c.accountId)?.id === c.id) this.open.delete(c.accountId);
    this.rearm();
    return this.push(calls.map((c) => c.id));
  }

  private async push(ids: readonly string[]): Promise<MarginCallView[]> {
    const views = await marginCallsByIds(this.deps.prisma, ids);
    const serverTime = Date.now();
    for (const call of views) this.publish({ accountId: call.accountId, call, serverTime });
    return views;
  }

  private rearm(): void {
    if (this.stopped || this.sweeping) return;
    let next: number | null = null;
    for (const c of this.open.values()) if (next === null || c.deadline < next) next = c.deadline;
    if (next !== this.timer.armedFor) this.timer.arm(next);
  }

  /** What a call on this account would ask now (the desk's form): in danger or not, and the amount. */
  private async suggestion(accountId: string): Promise<MarginCallSuggestion | null> {
    try {
      const preview = await this.deps.preview(accountId);
      const inDanger = isInDanger(preview.before);
      return {
        inDanger,
        amount: suggestedCallAmount(preview.before, preview.presets.healthy),
        status: preview.before.status,
        marginRatio: preview.before.marginRatio,
        reason: inDanger ? null : `healthy, margin ratio ${formatMarginRatio(preview.before.marginRatio, 2)}: not in danger`,
        serverTime: preview.serverTime,
      };
    } catch (error) {
      if (isHttpError(error)) return { inDanger: false, amount: null, status: "unknown", marginRatio: null, reason: error.message, serverTime: Date.now() };
      if (error instanceof Error && error.name === "NotFoundError") return null;
      throw error;
    }
  }
}
