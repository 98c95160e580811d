import {
  ACCOUNT_STATUSES, health, marginRatio, planPartialLiquidation, type Close, type LiquidationMode, type LiquidationPlan, type PlanPosition, type RiskParams,
} from "@/lib/risk";
import type { Page, QueueEntry } from "@/lib/contracts/book-views";
import { grow, nextCapacity } from "./grow";
import { StepRecords } from "./step-records";

/** Status codes for which spec §6 plans mode `full`: backstop and bankrupt. */
const FULL_MODE_STATUS = new Set([ACCOUNT_STATUSES.indexOf("backstop"), ACCOUNT_STATUSES.indexOf("bankrupt")]);

/** What the queue needs from the book it belongs to (accounts by index). */
export interface QueueSource {
  /** The member's id: an account's, or a unit's (spec §11: an isolated position, `unitKey`). */
  accountId(a: number): string;
  owner(a: number): Pick<QueueEntry, "accountId" | "isolatedMarketId">; // whose entry: the account (and a unit's isolated market)
  statusCode(a: number): number; // see `ACCOUNT_STATUSES`
  equity(a: number): number;
  maintenanceMargin(a: number): number;
  /**
   * Recomputes the account's sums from scratch (the drift guard) and applies any status change,
   * which may take the account out of the queue (`leave`) before it is planned.
   */
  resync(a: number): void;
  /** The account's positions at current marks, as the planner takes them. */
  planPositions(a: number): PlanPosition[];
  /** The markets the account holds a position in that have no fresh price (or never had one), in id order. */
  staleMarketsHeld(a: number): string[];
  /** Goes up whenever any market's staleness changes (pauses are recomputed then). */
  stalenessEpoch(): number;
  /** 1-based tiers of the position `step` closes part of, before and after the step (spec §2). */
  stepTiers(a: number, step: Close): { before: number; after: number };
}

/**
 * The pending liquidations (spec §6, §7): every account at or below maintenance margin
 * (liquidatable, backstop, bankrupt), with its plan, next step, cool-down and pause.
 *
 * - Membership follows the account's status at once: the book calls `enter`/`leave` when a status
 *   crosses maintenance (so a top-up that lifts an account above it removes it immediately).
 * - Plans are lazy: `touch` marks a member dirty when its figures changed; a dirty member is
 *   re-planned (its sums resynced from scratch first) when something reads its plan: a page of the
 *   queue plans the entries on that page, `dueSteps` the entries it returns. `refresh(limit)`
 *   re-plans dirty members oldest first (the engine worker calls it between other work, so that a
 *   busy feed cannot starve them), and `totals` plans a bounded number before it sums. An entry's
 *   plan is never older than the figures it is shown with; the totals sum each member's latest plan
 *   and say how many are pending.
 * - Order: status (bankrupt, backstop, liquidatable), then health `equity / MM` ascending (margin
 *   ratio descending; for equity <= 0, the most negative equity per MM first), then account id.
 *   Kept incrementally: members that entered or whose figures changed since the last read are
 *   re-keyed, sorted among themselves and merged into the rest (O(n + k log k) for k moved).
 * - Cool-down and execution holds: `steps` (`StepRecords`, told by the book when a step executed
 *   or failed). An entry in mode `partial` may run `cooldownMs` after its last step; one in mode
 *   `full` does not wait (spec §6.5).
 * - Pause: an account holding any position in a stale (or never-priced) market is paused, whatever
 *   its plan closes (spec §7 "touching": its equity depends on every leg); computed when read from
 *   the current stale flags, so a fresh price resumes it without re-planning. Also paused, with the
 *   reason in `pausedReason`: a plan whose next step is beyond the book's depth (`plan.unexecutable`:
 *   the desk handles it by hand), and an account whose step failed to execute (`steps.failed`),
 *   held out for `cooldownMs` and then retried, so one account's failure never stops the others.
 */
export class LiquidationQueue {
  private capacity = 0;
  private member = new Uint8Array(0);
  private memberPos = new Int32Array(0);
  private dirty = new Uint8Array(0);
  private moved = new Uint8Array(0);
  /** Sort keys as of the member's last placement in `order`. */
  private keyStatus = new Uint8Array(0);
  private keyHealth = new Float64Array(0);
  private rank = new Int32Array(0);
  private members = new Int32Array(64);
  private size = 0;
  /** Dirty members, oldest first from `dirtyHead` (entries whose flag was cleared since are skipped). */
  private dirtyList: number[] = [];
  private dirtyHead = 0;
  private dirtyMembers = 0;
  private movedList: number[] = [];
  /** What each member's latest plan adds to the totals, and whether it is paused (as of `pausedEpoch`). */
  private planNotional = new Float64Array(0);
  private planDeficit = new Float64Array(0);
  private planPaused = new Uint8Array(0);
  private pausedEpoch = -1;
  private left = false;
  private readonly plans = new Map<number, LiquidationPlan>();
  /** Members in queue order as of the last `ordered()`. */
  private order = new Int32Array(0);
  /** Plans computed since construction (for tests and metrics). */
  planned = 0;
  /** Σ planned close notional over each member's latest plan (`totals().pendingNotional`), kept as plans change: O(1) to read. */
  pendingNotional = 0;
  /** Members never planned yet (`pendingNotional` and the totals leave them out until they are). */
  get unplanned(): number { return this.size - this.plans.size; }
  /** Executed and failed steps: cool-downs and execution holds. */
  readonly steps: StepRecords;

  constructor(
    private readonly source: QueueSource,
    private readonly params: RiskParams,
  ) {
    this.steps = new StepRecords(params.cooldownMs);
  }

  /** Makes room for account indices `< n`. */
  ensureAccounts(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.member = grow(this.member, c);
    this.memberPos = grow(this.memberPos, c);
    this.dirty = grow(this.dirty, c);
    this.moved = grow(this.moved, c);
    this.steps.ensureAccounts(c);
    this.keyStatus = grow(this.keyStatus, c);
    this.keyHealth = grow(this.keyHealth, c);
    this.rank = grow(this.rank, c);
    this.planNotional = grow(this.planNotional, c);
    this.planDeficit = grow(this.planDeficit, c);
    this.planPaused = grow(this.planPaused, c);
    this.capacity = c;
  }

  get length(): number {
    return this.size;
  }

  has(a: number): boolean {
    return this.member[a] === 1;
  }

  /** Adds an account that has just reached maintenance margin (or touches it if already in). */
  enter(a: number): void {
    if (this.member[a]) return this.touch(a);
    if (this.size === this.members.length) this.members = grow(this.members, this.size * 2);
    this.member[a] = 1;
    this.memberPos[a] = this.size;
    this.members[this.size++] = a;
    this.markMoved(a);
    this.markDirty(a);
  }

  /** Removes an account that is back above maintenance margin (or gone). */
  leave(a: number): void {
    if (!this.member[a]) return;
    const at = this.memberPos[a]!;
    const last = this.members[--this.size]!;
    this.members[at] = last;
    this.memberPos[last] = at;
    this.member[a] = 0;
    this.clearDirty(a);
    if (this.plans.has(a)) this.pendingNotional = this.size === 0 ? 0 : this.pendingNotional - this.planNotional[a]!;
    this.plans.delete(a);
    this.steps.forgetFailure(a);
    this.left = true;
  }

  /** A member's figures changed: its plan and its place in the order are out of date. */
  touch(a: number): void {
    if (!this.member[a]) return;
    this.markMoved(a);
    this.markDirty(a);
  }

  private markMoved(a: number): void {
    if (this.moved[a]) return;
    this.moved[a] = 1;
    this.movedList.push(a);
  }

  private markDirty(a: number): void {
    if (this.dirty[a]) return;
    this.dirty[a] = 1;
    this.dirtyMembers++;
    this.dirtyList.push(a);
    // Plans read one by one leave cleared entries behind: compact now and then.
    if (this.dirtyList.length - this.dirtyHead > 2 * this.size + 1024) {
      this.dirtyList = this.dirtyList.slice(this.dirtyHead).filter((x) => this.dirty[x] === 1);
      this.dirtyHead = 0;
    }
  }

  private clearDirty(a: number): void {
    if (!this.dirty[a]) return;
    this.dirty[a] = 0;
    this.dirtyMembers--;
  }

  /** Members whose plan is out of date. */
  dirtyCount(): number {
    return this.dirtyMembers;
  }

  /** Plans a dirty member (after resyncing its sums, which may take it out of the queue). */
  private ensurePlanned(a: number): void {
    if (!this.dirty[a]) return;
    this.source.resync(a);
    this.clearDirty(a);
    if (!this.member[a]) return;
    const plan = planPartialLiquidation(this.source.equity(a), this.source.planPositions(a), this.params);
    let notional = 0;
    for (const c of plan.closes) notional += c.notional;
    this.pendingNotional += notional - (this.plans.has(a) ? this.planNotional[a]! : 0);
    this.plans.set(a, plan);
    this.planNotional[a] = notional;
    this.planDeficit[a] = plan.deficit;
    this.planPaused[a] = this.pausedByPlan(a, plan) ? 1 : 0;
    this.planned++;
  }

  /** Re-plans dirty members, oldest first, at most `limit` of them; returns how many were planned. */
  refresh(limit = Infinity): number {
    const before = this.planned;
    const list = this.dirtyList;
    let i = this.dirtyHead;
    let attempts = 0;
    while (i < list.length && attempts < limit) {
      const a = list[i++]!;
      if (!this.dirty[a]) continue;
      this.ensurePlanned(a);
      attempts++;
    }
    if (i >= list.length) {
      this.dirtyList = [];
      this.dirtyHead = 0;
    } else this.dirtyHead = i;
    return this.planned - before;
  }

  private compare = (x: number, y: number): number => {
    const d = this.keyStatus[y]! - this.keyStatus[x]!;
    if (d !== 0) return d;
    const h = this.keyHealth[x]! - this.keyHealth[y]!;
    if (h !== 0 && !Number.isNaN(h)) return h;
    const ix = this.source.accountId(x);
    const iy = this.source.accountId(y);
    return ix < iy ? -1 : ix > iy ? 1 : 0;
  };

  /** Members in queue order (re-keying and merging what moved). Do not keep it across changes. */
  ordered(): Int32Array {
    if (this.movedList.length === 0 && !this.left) return this.order;
    const src = this.source;
    const moved: number[] = [];
    const touched = this.movedList;
    for (const a of touched) {
      if (!this.member[a]) continue;
      this.keyStatus[a] = src.statusCode(a);
      this.keyHealth[a] = src.equity(a) / src.maintenanceMargin(a);
      moved.push(a);
    }
    this.movedList = [];
    this.left = false;
    moved.sort(this.compare);
    // Merge the moved members into the rest, which is still in order.
    const out = new Int32Array(this.size);
    let o = 0;
    let j = 0;
    for (let i = 0; i < this.order.length; i++) {
      const a = this.order[i]!;
      // A moved member's old place is out of date: it comes back through `moved`.
      if (!this.member[a] || this.moved[a]) continue;
      while (j < moved.length && this.compare(moved[j]!, a) < 0) out[o++] = moved[j++]!;
      out[o++] = a;
    }
    while (j < moved.length) out[o++] = moved[j++]!;
    for (const a of touched) this.moved[a] = 0;
    for (let r = 0; r < o; r++) this.rank[out[r]!] = r;
    this.order = out.subarray(0, o);
    return this.order;
  }

  /** A page of the queue at `now`, in queue order, its entries planned. */
  page(now: number, offset = 0, limit = 100): Page<QueueEntry> {
    for (let attempt = 0; ; attempt++) {
      const order = this.ordered();
      const start = Math.max(0, Math.min(offset, order.length));
      const end = Math.min(order.length, start + Math.max(0, limit));
      for (let r = start; r < end; r++) this.ensurePlanned(order[r]!);
      // Planning resyncs: if that moved anything (a status decided afresh), order again.
      if (attempt < 3 && (this.movedList.length > 0 || this.left)) continue;
      const items: QueueEntry[] = [];
      const current = this.ordered();
      for (let r = start; r < Math.min(current.length, end); r++) {
        this.ensurePlanned(current[r]!);
        items.push(this.entry(current[r]!, r, now));
      }
      return { total: current.length, offset: start, limit, items };
    }
  }

  /** The queue entry of one account, `null` when it is not in the queue. */
  entryOf(a: number, now: number): QueueEntry | null {
    if (!this.member[a]) return null;
    this.ensurePlanned(a);
    if (!this.member[a]) return null;
    this.ordered();
    return this.entry(a, this.rank[a]!, now);
  }

  /**
   * The next steps an executor should run at `now`: entries in queue order that are not paused,
   * have a step and either are in mode `full` (no cool-down, spec §6.5) or whose cool-down has
   * passed; at most `limit`.
   */
  dueSteps(now: number, limit = Infinity): QueueEntry[] {
    const order = this.ordered().slice();
    const out: QueueEntry[] = [];
    for (let r = 0; r < order.length && out.length < limit; r++) {
      const a = order[r]!;
      // A member in cool-down is planned only when its plan is full (it skips the cool-down): spec §6
      // plans mode full exactly when §3's status is backstop or bankrupt, so the status decides
      // without planning every member in cool-down on every call.
      if (this.steps.rawCooldownRemaining(a, now) > 0 && !FULL_MODE_STATUS.has(this.source.statusCode(a))) continue;
      this.ensurePlanned(a);
      const plan = this.plans.get(a);
      if (!this.member[a] || !plan?.nextStep || this.steps.cooldownRemaining(a, plan, now) > 0) continue;
      if (this.pauseReason(a, plan, now) !== null) continue;
      out.push(this.entry(a, r, now));
    }
    return out;
  }

  /** Whether the member is paused whatever the time: a stale (or never-priced) market it holds, or an unexecutable next step. */
  private pausedByPlan(a: number, plan: LiquidationPlan): boolean {
    return this.source.staleMarketsHeld(a).length > 0 || plan.unexecutable !== undefined;
  }

  /**
   * Why the member is paused at `now`, `null` when it is not: a stale (or never-priced) market it
   * holds (spec §7), a next step beyond the book's depth (`plan.unexecutable`), or a step that failed
   * to execute less than `cooldownMs` ago, in that order.
   */
  private pauseReason(a: number, plan: LiquidationPlan, now: number): string | null {
    const stale = this.source.staleMarketsHeld(a);
    if (stale.length > 0) return `stale price: ${stale.join(", ")}`;
    if (plan.unexecutable !== undefined) return plan.unexecutable;
    return this.steps.holdAt(a, now);
  }

  /**
   * Totals over every member after re-planning at most `planLimit` dirty members (oldest first):
   * shortfall (from current figures), planned close notional and deficits (each member's latest
   * plan), paused entries, members by their latest plan's mode, and how many plans are still pending. O(members), plus the plans.
   */
  totals(planLimit = Infinity): {
    shortfall: number; pendingNotional: number; expectedDeficit: number; paused: number; byMode: Record<LiquidationMode, number>; plansPending: number;
  } {
    this.refresh(planLimit);
    const epoch = this.source.stalenessEpoch();
    const repause = epoch !== this.pausedEpoch;
    this.pausedEpoch = epoch;
    let shortfall = 0;
    let pendingNotional = 0;
    let expectedDeficit = 0;
    let paused = 0;
    const byMode: Record<LiquidationMode, number> = { none: 0, partial: 0, full: 0 };
    for (let i = 0; i < this.size; i++) {
      const a = this.members[i]!;
      const s = this.source.maintenanceMargin(a) - this.source.equity(a);
      if (s > 0) shortfall += s;
      const plan = this.plans.get(a);
      if (!plan) continue;
      pendingNotional += this.planNotional[a]!;
      expectedDeficit += this.planDeficit[a]!;
      if (repause) this.planPaused[a] = this.pausedByPlan(a, plan) ? 1 : 0;
      // A failed execution counts until a step executes (its hold may have lapsed: it is being retried).
      paused += this.planPaused[a] || this.steps.hasFailure(a) ? 1 : 0;
      byMode[plan.mode]++;
    }
    this.pendingNotional = pendingNotional; // the same sum, without the running sum's rounding
    return { shortfall, pendingNotional, expectedDeficit, paused, byMode, plansPending: this.dirtyMembers };
  }

  private entry(a: number, rank: number, now: number): QueueEntry {
    const src = this.source;
    const plan = this.plans.get(a)!;
    const equity = src.equity(a);
    const mm = src.maintenanceMargin(a);
    const pausedReason = this.pauseReason(a, plan, now);
    const tiers = plan.nextStep ? src.stepTiers(a, plan.nextStep) : null;
    return {
      ...src.owner(a),
      rank,
      status: ACCOUNT_STATUSES[src.statusCode(a)]!,
      equity,
      maintenanceMargin: mm,
      marginRatio: marginRatio(equity, mm, true),
      health: health(equity, mm, true),
      shortfall: Math.max(0, mm - equity),
      mode: plan.mode,
      plan,
      nextStep: plan.nextStep,
      lastStepAt: this.steps.lastStepAt(a),
      cooldownRemainingMs: this.steps.cooldownRemaining(a, plan, now),
      paused: pausedReason !== null,
      pausedReason,
      tierBefore: tiers?.before ?? null,
      tierAfter: tiers?.after ?? null,
    };
  }
}
