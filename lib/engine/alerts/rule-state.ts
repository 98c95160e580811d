import { grow } from "../book/grow";
import { RULE_QUEUE, type CompiledAlertRule } from "./compile-rules";

/**
 * A rule and its state per subject: `raised[i]`, and `since[i]` (NaN: not waiting), when its
 * condition has held while it waits out `minDurationMs`, with `i = subject * stride + col`. The
 * account rules share two arrays, account-major (every rule's state of one account side by side:
 * evaluating an account touches one or two cache lines, not two per rule); a queue rule has its own,
 * of one subject (stride 0).
 */
export class RuleState {
  alive = true;
  raised: Uint8Array;
  since: Float64Array;
  stride = 0;
  col = 0;

  constructor(readonly rule: CompiledAlertRule) {
    this.raised = new Uint8Array(1);
    this.since = new Float64Array(1).fill(NaN);
  }

  get isQueue(): boolean {
    return this.rule.code === RULE_QUEUE;
  }
}

/** What the account rules' table is rebuilt from: each state, and where its raised flags (and waits) come from. */
export interface RuleLayout {
  readonly state: RuleState;
  /** The state (in the previous layout) whose raised flags it keeps, if any. */
  readonly from: RuleState | null;
  /** Whether it keeps that state's waits too (an unchanged rule). */
  readonly keepWaits: boolean;
}

/** The account rules' shared arrays: `capacity` accounts × `states.length` rules, account-major. */
export class AccountRuleTable {
  raised = new Uint8Array(0);
  since = new Float64Array(0);
  states: RuleState[] = [];

  /** Lays the rules out anew (for `capacity` accounts), copying what each keeps from the previous layout. */
  relayout(layout: readonly RuleLayout[], capacity: number): void {
    const r = layout.length;
    const raised = new Uint8Array(capacity * r);
    const since = new Float64Array(capacity * r).fill(NaN);
    layout.forEach(({ from, keepWaits }, col) => {
      if (!from) return;
      for (let a = 0; a < capacity; a++) {
        const i = a * from.stride + from.col;
        raised[a * r + col] = from.raised[i]!;
        if (keepWaits) since[a * r + col] = from.since[i]!;
      }
    });
    layout.forEach(({ state }, col) => this.place(state, raised, since, r, col));
    this.raised = raised;
    this.since = since;
    this.states = layout.map((l) => l.state);
  }

  /** Makes room for `capacity` accounts (the layout unchanged). */
  ensure(capacity: number): void {
    const r = this.states.length;
    this.raised = grow(this.raised, capacity * r);
    this.since = grow(this.since, capacity * r, NaN);
    this.states.forEach((s, col) => this.place(s, this.raised, this.since, r, col));
  }

  private place(s: RuleState, raised: Uint8Array, since: Float64Array, stride: number, col: number): void {
    s.raised = raised;
    s.since = since;
    s.stride = stride;
    s.col = col;
  }
}
