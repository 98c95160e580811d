import type { ChangeSet } from "./engine-types";
import { grow, nextCapacity } from "./grow";

/**
 * Accumulates what operations changed, for `drainChanges`: a set of touched accounts (a flag per
 * account plus a list, so each appears once) and of touched markets. Queue additions and removals
 * are derived at drain time by comparing each touched account's queue membership and status with
 * what they were at the previous drain, so an account that entered and left in between is reported
 * in neither list, only as a changed account.
 */
export class ChangeTracker {
  private capacity = 0;
  private flag = new Uint8Array(0);
  private queuedAtDrain = new Uint8Array(0);
  private statusAtDrain = new Uint8Array(0);
  private list = new Int32Array(1024);
  private listLength = 0;
  private readonly markets = new Set<number>();
  private summaryFlag = false;
  private seq = 0;

  ensureAccounts(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.flag = grow(this.flag, c);
    this.queuedAtDrain = grow(this.queuedAtDrain, c);
    this.statusAtDrain = grow(this.statusAtDrain, c);
    this.capacity = c;
  }

  account(a: number): void {
    if (this.flag[a]) return;
    this.flag[a] = 1;
    if (this.listLength === this.list.length) this.list = grow(this.list, this.listLength * 2);
    this.list[this.listLength++] = a;
  }

  market(m: number): void {
    this.markets.add(m);
  }

  /** Something the summary shows changed (counts, markets) even if no account did. */
  summary(): void {
    this.summaryFlag = true;
  }

  /** Accounts touched since the last drain. */
  pendingAccounts(): number {
    return this.listLength;
  }

  /** The change set since the last drain; resets. */
  drain(
    accountId: (a: number) => string,
    marketId: (m: number) => string,
    inQueue: (a: number) => boolean,
    status: (a: number) => number,
  ): ChangeSet {
    const accounts: string[] = [];
    const statusChanged: string[] = [];
    const queueAdded: string[] = [];
    const queueRemoved: string[] = [];
    const queueChanged: string[] = [];
    for (let i = 0; i < this.listLength; i++) {
      const a = this.list[i]!;
      this.flag[a] = 0;
      const id = accountId(a);
      accounts.push(id);
      const st = status(a);
      if (st !== this.statusAtDrain[a]) {
        statusChanged.push(id);
        this.statusAtDrain[a] = st;
      }
      const now = inQueue(a) ? 1 : 0;
      const before = this.queuedAtDrain[a]!;
      if (now && before) queueChanged.push(id);
      else if (now) queueAdded.push(id);
      else if (before) queueRemoved.push(id);
      this.queuedAtDrain[a] = now;
    }
    const markets = [...this.markets].map(marketId);
    const summaryChanged =
      this.summaryFlag || statusChanged.length > 0 || queueAdded.length + queueRemoved.length + queueChanged.length > 0 || markets.length > 0;
    this.listLength = 0;
    this.markets.clear();
    this.summaryFlag = false;
    const empty = accounts.length === 0 && markets.length === 0 && !summaryChanged;
    if (!empty) this.seq++;
    return { seq: this.seq, accounts, statusChanged, queueAdded, queueRemoved, queueChanged, markets, summaryChanged };
  }
}
