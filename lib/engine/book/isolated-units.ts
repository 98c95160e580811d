import { queueEntryKey } from "@/lib/contracts/book-views";
import { grow, nextCapacity } from "./grow";

/**
 * Spec §11: isolated positions as units of the book. Each isolated position lives in a unit: an
 * account index of its own, hidden from every list, whose collateral is the position's
 * `isolatedMargin` and whose only position is that one. So everything the book does for an
 * account — incremental revaluation, the drift guard, status, the queue with its plan, cool-down,
 * pause and failed-step hold — it does for each unit apart, unchanged and at the same cost; the
 * owner's own sums are its cross figures (cross positions only).
 *
 * This holds the structure: the owner of each unit (-1 for an account), the unit's market, and
 * each owner's units as a linked list (an owner has at most one unit per market; units are never
 * removed, like accounts: a closed isolated position leaves an empty unit that a later one reuses).
 * The unit's id (`unitKey`) is the owner's id, a NUL and the market id: no account id holds a NUL
 * (lib/contracts/text.ts), so it cannot collide with one.
 */
export class IsolatedUnits {
  private capacity = 0;
  /** Owner account index of a unit; -1 for an account. */
  owner = new Int32Array(0);
  /** Market index of a unit; -1 for an account. */
  market = new Int32Array(0);
  /** An account's first unit; -1 when none. */
  first = new Int32Array(0);
  /** The next unit of the same owner; -1 at the end. */
  next = new Int32Array(0);
  /** Units created so far. */
  count = 0;

  ensureAccounts(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.owner = grow(this.owner, c, -1);
    this.market = grow(this.market, c, -1);
    this.first = grow(this.first, c, -1);
    this.next = grow(this.next, c, -1);
    this.capacity = c;
  }

  isUnit(a: number): boolean {
    return this.owner[a]! >= 0;
  }

  /** The account a unit belongs to, or `a` itself for an account. */
  accountOf(a: number): number {
    const o = this.owner[a]!;
    return o >= 0 ? o : a;
  }

  /** The owner's unit in market `m`, -1 when it has none. */
  find(owner: number, m: number): number {
    for (let u = this.first[owner]!; u !== -1; u = this.next[u]!) if (this.market[u] === m) return u;
    return -1;
  }

  /** Records index `u` (just created) as the owner's unit in market `m`. */
  link(u: number, owner: number, m: number): void {
    this.owner[u] = owner;
    this.market[u] = m;
    this.next[u] = this.first[owner]!;
    this.first[owner] = u;
    this.count++;
  }
}

/** The id of the owner's unit in a market (see `IsolatedUnits`): its queue entry's key. */
export function unitKey(accountId: string, marketId: string): string {
  return queueEntryKey({ accountId, isolatedMarketId: marketId });
}
