import type { AlertRuleView, AlertSignal } from "@/lib/contracts/alerts";
import { STATUS_UNKNOWN } from "@/lib/risk";
import { A_COLLATERAL, A_MM, A_STRIDE, A_UPNL } from "../book/account-record";
import { AccountSet } from "../book/account-set";
import type { BookListener } from "../book/book-listener";
import type { BookState } from "../book/book-state";
import { grow, nextCapacity } from "../book/grow";
import type { OpenAlertRef } from "../engine-types";
import { accountAlertText, queueAlertText } from "./alert-text";
import { compileAlertRules, RULE_DEBT, RULE_QUEUE, RULE_RATIO, RULE_STATUS, type CompiledAlertRule } from "./compile-rules";
import { DueHeap } from "./due-heap";
import { ratioZones } from "./ratio-zones";
import { AccountRuleTable, RuleState, type RuleLayout } from "./rule-state";

/** In an account's gate code: 1 + status in the low 3 bits, this bit when its collateral is below 0, its ratio zone above (0: never evaluated). */
const DEBT = 8;
const ZONE_SHIFT = 4;

/**
 * Alert rules evaluated as the book changes (docs/alerts-engine.md). Pure: no I/O, no clock (the
 * caller passes `now`). Attached to a book as its `listener` while it has account rules.
 *
 * Per rule and subject it keeps whether the rule is raised and, while the condition holds but
 * its minimum duration has not passed, since when (a heap of due times, `DueHeap`, so a wait that
 * ends with no further change still raises at the next `drain`, without scanning accounts); once
 * raised, the same field holds since when its clear condition has held, while that waits out the
 * rule's `clearAfterMs`. A rule raises once and then only clears, so a subject has at most one
 * open alert per rule; `ratio_above` clears only at ≤ threshold − hysteresis.
 *
 * Cheap on the tick path. A rule can change state only when the account's status changes, its
 * collateral crosses 0 (the book calls `accountChanged`), a position opens or closes (scope), or
 * its margin ratio crosses one of the ratio rules' lines. The book calls `accountSettled(a,
 * statusBefore)` when a settle changed the status (marked) and, on every settle, for the statuses
 * a line falls in (`book.listenAlways` = `varying`: with the default rules, warning only): for
 * those its ratio's zone (how many lines it is at or past) is compared with the one at its last
 * evaluation (a 2-byte code per account). Every other settle costs the book one comparison and
 * one lookup. (Comparing every settled account cost more: a float64 band per account ~+50% on a
 * tick of 50,000 holders — the book's hot records' memory again —, a float32 band ~+12%, the
 * 2-byte code ~+10%.) `drain(now)` evaluates the marked accounts' rules in full.
 */
export class AlertEvaluator implements BookListener {
  private states = new Map<string, RuleState>();
  private readonly table = new AccountRuleTable();
  private queueRules: RuleState[] = [];
  /** The ratio rules' lines and the statuses they fall in (`ratioZones`). */
  private lines: Float64Array = new Float64Array(0);
  private varying: Uint8Array = new Uint8Array(STATUS_UNKNOWN + 1);
  private capacity = 0;
  /** Each account's gate code at its last evaluation (see `codeOf`). */
  private code = new Uint16Array(0);
  private readonly dirty = new AccountSet();
  private readonly due = new DueHeap<RuleState>();
  private out: AlertSignal[] = [];

  constructor(private readonly book: BookState) {}

  /** Rules being evaluated (enabled engine kinds). */
  get ruleCount(): number {
    return this.states.size;
  }

  /**
   * Replaces the rules (checked whole: a bad one throws `RiskInputError` and nothing changes) and
   * evaluates every account and the queue once at `now`. A rule whose definition is unchanged
   * keeps its state (raised, waits); one whose definition changed keeps which subjects are raised
   * (they clear if the new condition does not hold) and restarts its waits; a rule new here takes
   * its raised subjects from `open` (the store's unresolved alerts: at start, or a rule enabled
   * again), and each of those the book cannot hold (an unknown account, a foreign subject) is
   * cleared. A rule left out is forgotten: the evaluator neither raises nor clears for it again.
   */
  setRules(rules: readonly AlertRuleView[], open: readonly OpenAlertRef[], now: number): void {
    const compiled = compileAlertRules(rules);
    this.ensure(this.book.accountCount);
    const next = new Map<string, RuleState>();
    const layout: RuleLayout[] = [];
    const fresh = new Set<RuleState>();
    for (const rule of compiled) {
      const old = this.states.get(rule.id);
      const unchanged = old !== undefined && old.rule.key === rule.key;
      const state = unchanged ? old : new RuleState(rule);
      // A changed rule keeps its raised subjects (same kind of subject); otherwise it is new here.
      const from = old !== undefined && old.isQueue === state.isQueue ? old : null;
      if (from === null) fresh.add(state);
      next.set(rule.id, state);
      if (state.isQueue) {
        if (from && !unchanged) state.raised[0] = from.raised[0]!;
      } else layout.push({ state, from, keepWaits: unchanged });
    }
    for (const [id, old] of this.states) if (next.get(id) !== old) old.alive = false;
    this.table.relayout(layout, this.capacity);
    this.states = next;
    this.queueRules = [...next.values()].filter((s) => s.isQueue);
    ({ lines: this.lines, varying: this.varying } = ratioZones(this.table.states.filter((s) => s.rule.code === RULE_RATIO).map((s) => s.rule), this.book.params));
    for (const ref of open) this.seed(next.get(ref.ruleId), fresh, ref.subject, now);
    const n = this.book.accountCount;
    for (let a = 0; a < n; a++) if (!this.book.units.isUnit(a)) this.evaluateAccount(a, now);
    this.dirty.clear();
    for (const s of this.queueRules) this.evaluateQueue(s, now);
    this.book.listener = this.table.states.length > 0 ? this : null;
    this.book.listenAlways = this.varying;
  }

  /** A raised subject of a rule new here, from the store. */
  private seed(state: RuleState | undefined, fresh: ReadonlySet<RuleState>, subject: string, now: number): void {
    if (!state || !fresh.has(state)) return;
    if (state.rule.code === RULE_QUEUE) {
      if (subject === "queue") state.raised[0] = 1;
      else this.out.push({ ruleId: state.rule.id, subject, raise: false, at: now });
      return;
    }
    const a = subject.startsWith("account:") ? this.book.accountIndex.get(subject.slice("account:".length)) : undefined;
    if (a !== undefined) state.raised[a * state.stride + state.col] = 1;
    else this.out.push({ ruleId: state.rule.id, subject, raise: false, at: now, accountId: subject.startsWith("account:") ? subject.slice(8) : undefined });
  }

  // ---- the book's calls (the tick path) --------------------------------------------------------

  accountSettled(a: number, statusBefore: number): void {
    const status = this.book.status[a]!;
    if (status !== statusBefore) this.mark(a);
    else if (this.varying[status] === 1) {
      if (a >= this.capacity) this.ensure(a + 1);
      if (this.codeOf(a) !== this.code[a]) this.dirty.add(a);
    }
  }

  accountChanged(a: number): void {
    this.mark(a);
  }

  private mark(a: number): void {
    if (a >= this.capacity) this.ensure(a + 1);
    this.dirty.add(a);
  }

  /** The gate code of account `a` now: 1 + status, + `DEBT` when its collateral is below 0, + its ratio zone << `ZONE_SHIFT`. */
  private codeOf(a: number): number {
    const book = this.book;
    const acc = book.acc;
    const b = a * A_STRIDE;
    const status = book.status[a]!;
    const collateral = acc[b + A_COLLATERAL]!;
    const code = 1 + status + (collateral < 0 ? DEBT : 0);
    const lines = this.lines;
    if (lines.length === 0 || status === STATUS_UNKNOWN) return code;
    const equity = collateral + acc[b + A_UPNL]!;
    const ratio = book.count[a] === 0 ? 0 : equity > 0 ? acc[b + A_MM]! / equity : Infinity;
    let zone = 0;
    for (let i = 0; i < lines.length; i++) if (ratio >= lines[i]!) zone++;
    return code + (zone << ZONE_SHIFT);
  }

  // ---- what the worker calls at each change set ------------------------------------------------

  /**
   * The signals since the last drain, in order: the marked accounts' rules evaluated at `now`,
   * then every wait that ended by `now` (raised at the time it ended), then the queue rules.
   */
  drain(now: number): AlertSignal[] {
    const marked = this.dirty.members();
    for (let i = 0; i < marked.length; i++) this.evaluateAccount(marked[i]!, now);
    this.dirty.clear();
    while (this.due.size > 0 && this.due.peek() <= now) this.due.pop((due, state, a) => this.whenDue(state, a, due));
    for (const s of this.queueRules) this.evaluateQueue(s, now);
    const out = this.out;
    this.out = [];
    return out;
  }

  /** When the earliest wait ends (`Infinity`: none); the worker drains then even if nothing changes. */
  nextDue(): number {
    return this.due.peek();
  }

  /** Whether a queue rule is evaluated (the queue's figure moves as the background planner works). */
  get watchesQueue(): boolean {
    return this.queueRules.length > 0;
  }

  /** Signals waiting for the next drain. */
  get pendingSignals(): number {
    return this.out.length;
  }

  // ---- evaluation ------------------------------------------------------------------------------

  private evaluateAccount(a: number, now: number): void {
    const book = this.book;
    const status = book.status[a]!;
    const unknown = status === STATUS_UNKNOWN;
    const b = a * A_STRIDE;
    const collateral = book.acc[b + A_COLLATERAL]!;
    const equity = collateral + book.acc[b + A_UPNL]!;
    const ratio = book.count[a] === 0 ? 0 : equity > 0 ? book.acc[b + A_MM]! / equity : Infinity;
    for (const s of this.table.states) {
      const rule = s.rule;
      if (!this.inScope(rule, a)) {
        this.step(s, a, false, true, now);
        continue;
      }
      switch (rule.code) {
        case RULE_STATUS:
          // An unknown status (a market never priced) neither raises nor clears; a wait restarts after it.
          if (unknown) s.since[a * s.stride + s.col] = NaN;
          else this.step(s, a, status >= rule.status, status < rule.status, now);
          break;
        case RULE_RATIO:
          if (unknown) {
            s.since[a * s.stride + s.col] = NaN;
            break;
          }
          this.step(s, a, ratio >= rule.threshold, ratio <= rule.clearAt, now);
          break;
        case RULE_DEBT:
          this.step(s, a, collateral < 0, collateral >= 0, now);
          break;
      }
    }
    this.code[a] = this.codeOf(a);
  }

  /**
   * The queue's pending notional (the desk's "Pending liquidation": each member's latest plan). A
   * member not planned yet adds nothing to it, so it may be short until the background planner
   * reaches that member: it raises as soon as it is above the threshold, but clears only once every
   * member has a plan (after a restart the queue is not planned yet: an open alert is not cleared
   * on an empty figure).
   */
  private evaluateQueue(s: RuleState, now: number): void {
    const queue = this.book.queue;
    const v = queue.pendingNotional;
    this.step(s, 0, v > s.rule.threshold, v <= s.rule.clearAt && queue.unplanned === 0, now);
  }

  /**
   * One rule on one subject: `holds` raises (after the minimum duration), `clears` clears a raised
   * one (after `clearAfterMs` of clear condition: a raised subject's `since` is when that began).
   */
  private step(s: RuleState, a: number, holds: boolean, clears: boolean, now: number): void {
    const i = a * s.stride + s.col;
    const raised = s.raised[i] === 1;
    if (!(raised ? clears : holds)) {
      s.since[i] = NaN;
      return;
    }
    // The wait for the change (a raise, or a raised one's clear): since when its condition holds.
    const wait = raised ? s.rule.clearAfterMs : s.rule.minDurationMs;
    let since = s.since[i]!;
    if (since !== since) {
      since = now;
      s.since[i] = now;
      if (wait > 0) this.due.push(now + wait, s, a);
    }
    if (since + wait > now) return;
    if (raised) this.clear(s, a, since + wait);
    else this.raise(s, a, since + wait);
  }

  /** A wait that came due: raised (or cleared) if it is still the same wait (not cancelled, restarted or done meanwhile). */
  private whenDue(s: RuleState, a: number, due: number): void {
    if (!s.alive) return;
    const i = a * s.stride + s.col;
    if (s.raised[i]) {
      if (s.since[i]! + s.rule.clearAfterMs === due) this.clear(s, a, due);
    } else if (s.since[i]! + s.rule.minDurationMs === due) this.raise(s, a, due);
  }

  private clear(s: RuleState, a: number, at: number): void {
    const i = a * s.stride + s.col;
    s.raised[i] = 0;
    s.since[i] = NaN;
    this.out.push(this.signal(s, a, false, at));
  }

  private raise(s: RuleState, a: number, at: number): void {
    const i = a * s.stride + s.col;
    s.raised[i] = 1;
    s.since[i] = NaN;
    this.out.push(this.signal(s, a, true, at));
  }

  private signal(s: RuleState, a: number, raise: boolean, at: number): AlertSignal {
    const rule = s.rule;
    if (rule.code === RULE_QUEUE) {
      return raise ? { ruleId: rule.id, subject: "queue", raise, at, ...queueAlertText(rule, this.book.queue.pendingNotional) } : { ruleId: rule.id, subject: "queue", raise, at };
    }
    const accountId = this.book.ids[a]!;
    if (!raise) return { ruleId: rule.id, subject: `account:${accountId}`, raise, at, accountId };
    const book = this.book;
    const b = a * A_STRIDE;
    const collateral = book.acc[b + A_COLLATERAL]!;
    const equity = collateral + book.acc[b + A_UPNL]!;
    const ratio = book.count[a] === 0 ? 0 : equity > 0 ? book.acc[b + A_MM]! / equity : Infinity;
    const text = accountAlertText(rule, { status: book.status[a]!, collateral, equity, ratio });
    return { ruleId: rule.id, subject: `account:${accountId}`, raise, at, accountId, value: text.value, message: text.message };
  }

  private inScope(rule: CompiledAlertRule, a: number): boolean {
    if (rule.scope === "all") return true;
    if (rule.accounts !== null) return rule.accounts.has(this.book.ids[a]!);
    const m = this.book.marketIndex.get(rule.marketId!);
    if (m === undefined) return false;
    const sl = this.book.slots;
    for (let s = this.book.head[a]!; s !== -1; s = sl.next[s]!) if (sl.market[s] === m) return true;
    return false;
  }

  private ensure(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.code = grow(this.code, c);
    this.dirty.ensureAccounts(c);
    this.table.ensure(c);
    this.capacity = c;
  }
}
