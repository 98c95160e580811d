import { AccountSet } from "./account-set";
import type { ChangeSet } from "../engine-types";
import { grow, nextCapacity } from "./grow";

/** A change set names its accounts only when it touched at most this many (it always counts them). */
export const CHANGE_SET_MAX_IDS = 256;

/**
 * Accumulates what operations changed, for `drainChanges`: the accounts touched (each once) and the
 * markets touched. Queue additions and removals are derived at drain time by comparing each touched
 * account's queue membership and status with what they were at the previous drain, so an account
 * that entered and left in between is reported in neither, only as a changed account.
 *
 * A change set counts; it names the accounts only when there are few of them (at most
 * `CHANGE_SET_MAX_IDS`), so that a tick on a market held by 100,000 accounts does not carry 100,000
 * strings to the main thread. Apart from it, the accounts whose figures changed since the last
 * margin snapshot are kept (`drainSinceRows`) for the snapshotter to read as columns. A change set
 * too large to name its accounts still says which can have changed when all but a few were
 * touched as holders of the markets it lists (`holder`): it names those few (`otherAccounts`).
 */
export class ChangeTracker {
  private capacity = 0;
  private readonly changed = new AccountSet();
  /** The changed accounts touched otherwise than as a market's holders (`holder`): a change set's `otherAccounts`. */
  private readonly others = new AccountSet();
  private readonly sinceRows = new AccountSet();
  private queuedAtDrain = new Uint8Array(0);
  private statusAtDrain = new Uint8Array(0);
  private readonly markets = new Set<number>();
  private summaryFlag = false;
  private seq = 0;

  ensureAccounts(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.changed.ensureAccounts(c);
    this.others.ensureAccounts(c);
    this.sinceRows.ensureAccounts(c);
    this.queuedAtDrain = grow(this.queuedAtDrain, c);
    this.statusAtDrain = grow(this.statusAtDrain, c);
    this.capacity = c;
  }

  account(a: number): void {
    this.changed.add(a);
    this.others.add(a);
    this.sinceRows.add(a);
  }

  /** The account changed as a holder of a market whose mark or staleness moved (that market is recorded with `market`). */
  holder(a: number): void {
    this.changed.add(a);
    this.sinceRows.add(a);
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
    return this.changed.size;
  }

  /** Accounts touched since the last `drainSinceRows`. */
  pendingRows(): number {
    return this.sinceRows.size;
  }

  /**
   * Calls `visit` with the accounts touched since they were last drained, the first touched
   * first, at most `limit` of them; those are no longer pending, the rest stay for the next call.
   */
  drainSinceRows(limit: number, visit: (accounts: Int32Array) => void): void {
    visit(this.sinceRows.members().subarray(0, Math.min(limit, this.sinceRows.size)));
    this.sinceRows.removeFirst(limit);
  }

  /** The change set since the last drain; resets. */
  drain(
    accountId: (a: number) => string,
    marketId: (m: number) => string,
    inQueue: (a: number) => boolean,
    status: (a: number) => number,
  ): ChangeSet {
    const touched = this.changed.members();
    const named = touched.length <= CHANGE_SET_MAX_IDS;
    const ids = named ? { accounts: [] as string[], statusChanged: [] as string[], queueAdded: [] as string[], queueRemoved: [] as string[], queueChanged: [] as string[] } : null;
    let statusChanged = 0;
    let queueAdded = 0;
    let queueRemoved = 0;
    let queueChanged = 0;
    for (let i = 0; i < touched.length; i++) {
      const a = touched[i]!;
      const id = ids ? accountId(a) : "";
      ids?.accounts.push(id);
      const st = status(a);
      if (st !== this.statusAtDrain[a]) {
        statusChanged++;
        ids?.statusChanged.push(id);
        this.statusAtDrain[a] = st;
      }
      const now = inQueue(a) ? 1 : 0;
      const before = this.queuedAtDrain[a]!;
      if (now && before) {
        queueChanged++;
        ids?.queueChanged.push(id);
      } else if (now) {
        queueAdded++;
        ids?.queueAdded.push(id);
      } else if (before) {
        queueRemoved++;
        ids?.queueRemoved.push(id);
      }
      this.queuedAtDrain[a] = now;
    }
    const accounts = touched.length;
    const markets = [...this.markets].map(marketId);
    const otherAccounts = !named && this.others.size <= CHANGE_SET_MAX_IDS ? Array.from(this.others.members(), accountId) : null;
    this.changed.clear();
    this.others.clear();
    const summaryChanged = this.summaryFlag || statusChanged > 0 || queueAdded + queueRemoved + queueChanged > 0 || markets.length > 0;
    this.markets.clear();
    this.summaryFlag = false;
    const empty = accounts === 0 && markets.length === 0 && !summaryChanged;
    if (!empty) this.seq++;
    return { seq: this.seq, accounts, statusChanged, queueAdded, queueRemoved, queueChanged, markets, summaryChanged, ids, otherAccounts };
  }
}
