import {
  ACCOUNT_STATUSES,
  health,
  marginRatio,
  planPartialLiquidation,
  type LiquidationPlan,
  type PlanPosition,
  type RiskParams,
} from "../risk";
import type { Page, QueueEntry } from "./engine-types";
import { grow, nextCapacity } from "./grow";

/** What the queue needs from the book it belongs to (accounts by index). */
export interface QueueSource {
  accountId(a: number): string;
  /** Status code (see `ACCOUNT_STATUSES`). */
  statusCode(a: number): number;
  equity(a: number): number;
  maintenanceMargin(a: number): number;
  /**
   * Recomputes the account's sums from scratch (the drift guard) and applies any status change,
   * which may take the account out of the queue (`leave`) before it is planned.
   */
  resync(a: number): void;
  /** The account's positions at current marks, as the planner takes them. */
  planPositions(a: number): PlanPosition[];
  /** Whether a market has no fresh price. */
  isStale(marketId: string): boolean;
}

/**
 * The pending liquidations (spec §6, §7): every account at or below maintenance margin
 * (liquidatable, backstop, bankrupt), with its plan, next step, cool-down and pause.
 *
 * - Membership follows the account's status at once: the book calls `enter`/`leave` when a status
 *   crosses maintenance (so a top-up that lifts an account above it removes it immediately).
 * - Plans are lazy: `touch` marks a member dirty when its figures changed; `refresh` re-plans only
 *   the dirty members (resyncing their sums from scratch first). Reads (`page`, `dueSteps`,
 *   `entryOf`, `totals`) refresh first, so what they return is always current.
 * - Order: status (bankrupt, backstop, liquidatable), then health `equity / MM` ascending (margin
 *   ratio descending; for equity <= 0, the most negative equity per MM first), then account id.
 *   Sorted lazily when membership or a member's figures changed since the last sort.
 * - Cool-down: `lastStepAt` per account (set by `markStepExecuted` with the caller's clock); an
 *   entry may run `cooldownMs` after it. It survives leaving the queue.
 * - Pause: an entry whose plan closes anything in a stale market is paused; computed when read
 *   from the current stale flags, so a fresh price resumes it without re-planning.
 */
export class LiquidationQueue {
  private capacity = 0;
  private member = new Uint8Array(0);
  private memberPos = new Int32Array(0);
  private dirty = new Uint8Array(0);
  private lastStep = new Float64Array(0);
  private members = new Int32Array(64);
  private size = 0;
  private dirtyList: number[] = [];
  private readonly plans = new Map<number, LiquidationPlan>();
  private order: Int32Array = new Int32Array(0);
  private orderValid = true;
  /** Plans computed since construction (for tests and metrics). */
  planned = 0;

  constructor(
    private readonly source: QueueSource,
    private readonly params: RiskParams,
  ) {}

  /** Makes room for account indices `< n`. */
  ensureAccounts(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.member = grow(this.member, c);
    this.memberPos = grow(this.memberPos, c);
    this.dirty = grow(this.dirty, c);
    this.lastStep = grow(this.lastStep, c, NaN);
    this.capacity = c;
  }

  get length(): number {
    return this.size;
  }

  has(a: number): boolean {
    return this.member[a] === 1;
  }

  /** Adds an account that has just reached maintenance margin; it is planned on the next read. */
  enter(a: number): void {
    if (this.member[a]) return this.touch(a);
    if (this.size === this.members.length) this.members = grow(this.members, this.size * 2);
    this.member[a] = 1;
    this.memberPos[a] = this.size;
    this.members[this.size++] = a;
    this.orderValid = false;
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
    this.dirty[a] = 0;
    this.plans.delete(a);
    this.orderValid = false;
  }

  /** A member's figures changed: its plan and its place in the order are out of date. */
  touch(a: number): void {
    if (!this.member[a]) return;
    this.orderValid = false;
    this.markDirty(a);
  }

  private markDirty(a: number): void {
    if (this.dirty[a]) return;
    this.dirty[a] = 1;
    this.dirtyList.push(a);
  }

  /** Members whose plan is out of date. */
  dirtyCount(): number {
    let n = 0;
    for (const a of this.dirtyList) if (this.dirty[a] && this.member[a]) n++;
    return n;
  }

  /** Re-plans every dirty member (after resyncing its sums); returns how many were planned. */
  refresh(): number {
    let count = 0;
    const list = this.dirtyList;
    for (let i = 0; i < list.length; i++) {
      const a = list[i]!;
      if (!this.dirty[a]) continue;
      if (this.member[a]) this.source.resync(a);
      this.dirty[a] = 0;
      if (!this.member[a]) continue;
      this.plans.set(a, planPartialLiquidation(this.source.equity(a), this.source.planPositions(a), this.params));
      count++;
    }
    list.length = 0;
    this.planned += count;
    return count;
  }

  /** Members in queue order (refreshed and sorted as needed). Do not keep it across changes. */
  ordered(): Int32Array {
    this.refresh();
    if (this.orderValid && this.order.length === this.size) return this.order;
    const n = this.size;
    const src = this.source;
    const status = new Uint8Array(n);
    const healthKey = new Float64Array(n);
    const idx = new Array<number>(n);
    const at = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const a = this.members[i]!;
      status[i] = src.statusCode(a);
      healthKey[i] = src.equity(a) / src.maintenanceMargin(a);
      idx[i] = i;
      at.set(a, i);
    }
    idx.sort((x, y) => {
      const d = status[y]! - status[x]!;
      if (d !== 0) return d;
      const h = healthKey[x]! - healthKey[y]!;
      if (h !== 0 && !Number.isNaN(h)) return h;
      const ix = src.accountId(this.members[x]!);
      const iy = src.accountId(this.members[y]!);
      return ix < iy ? -1 : ix > iy ? 1 : 0;
    });
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = this.members[idx[i]!]!;
    this.order = order;
    this.orderValid = true;
    return order;
  }

  /** A page of the queue at `now`, in queue order. */
  page(now: number, offset = 0, limit = 100): Page<QueueEntry> {
    const order = this.ordered();
    const start = Math.max(0, Math.min(offset, order.length));
    const end = Math.min(order.length, start + Math.max(0, limit));
    const items: QueueEntry[] = [];
    for (let r = start; r < end; r++) items.push(this.entry(order[r]!, r, now));
    return { total: order.length, offset: start, limit, items };
  }

  /** The queue entry of one account, `null` when it is not in the queue. */
  entryOf(a: number, now: number): QueueEntry | null {
    if (!this.member[a]) return null;
    const order = this.ordered();
    if (!this.member[a]) return null;
    let rank = 0;
    while (rank < order.length && order[rank] !== a) rank++;
    return this.entry(a, rank, now);
  }

  /**
   * The next steps an executor should run at `now`: entries in queue order whose cool-down has
   * passed, that are not paused and have a step; at most `limit`.
   */
  dueSteps(now: number, limit = Infinity): QueueEntry[] {
    const order = this.ordered();
    const out: QueueEntry[] = [];
    for (let r = 0; r < order.length && out.length < limit; r++) {
      const a = order[r]!;
      const plan = this.plans.get(a);
      if (!plan?.nextStep || this.cooldownRemaining(a, now) > 0 || this.staleMarketsOf(plan).length > 0) continue;
      out.push(this.entry(a, r, now));
    }
    return out;
  }

  /** Records that a step of this account executed at `now` (its cool-down starts). */
  markStepExecuted(a: number, now: number): void {
    this.lastStep[a] = now;
  }

  lastStepAt(a: number): number | null {
    const t = this.lastStep[a]!;
    return Number.isNaN(t) ? null : t;
  }

  /** The plan of a member (refreshed), `undefined` for an account not in the queue. */
  planOf(a: number): LiquidationPlan | undefined {
    if (!this.member[a]) return undefined;
    if (this.dirty[a]) this.refresh();
    return this.plans.get(a);
  }

  /** Totals over every member, plans refreshed: shortfall, planned close notional, deficits, paused. */
  totals(): { shortfall: number; pendingNotional: number; expectedDeficit: number; paused: number } {
    this.refresh();
    let shortfall = 0;
    let pendingNotional = 0;
    let expectedDeficit = 0;
    let paused = 0;
    for (let i = 0; i < this.size; i++) {
      const a = this.members[i]!;
      const s = this.source.maintenanceMargin(a) - this.source.equity(a);
      if (s > 0) shortfall += s;
      const plan = this.plans.get(a);
      if (!plan) continue;
      for (const c of plan.closes) pendingNotional += c.notional;
      expectedDeficit += plan.deficit;
      if (this.staleMarketsOf(plan).length > 0) paused++;
    }
    return { shortfall, pendingNotional, expectedDeficit, paused };
  }

  private cooldownRemaining(a: number, now: number): number {
    const t = this.lastStep[a]!;
    if (Number.isNaN(t)) return 0;
    return Math.max(0, t + this.params.cooldownMs - now);
  }

  private staleMarketsOf(plan: LiquidationPlan): string[] {
    const out: string[] = [];
    for (const c of plan.closes) if (this.source.isStale(c.marketId) && !out.includes(c.marketId)) out.push(c.marketId);
    return out;
  }

  private entry(a: number, rank: number, now: number): QueueEntry {
    const src = this.source;
    const plan = this.plans.get(a)!;
    const equity = src.equity(a);
    const mm = src.maintenanceMargin(a);
    const stale = this.staleMarketsOf(plan);
    return {
      accountId: src.accountId(a),
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
      lastStepAt: this.lastStepAt(a),
      cooldownRemainingMs: this.cooldownRemaining(a, now),
      paused: stale.length > 0,
      pausedReason: stale.length > 0 ? `stale price: ${stale.join(", ")}` : null,
    };
  }
}
