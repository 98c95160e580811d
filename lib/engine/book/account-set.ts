import { grow, nextCapacity } from "./grow";

/**
 * A set of account indices: a flag per account plus the members in the order they were added, so
 * that adding is O(1) and reading or clearing is O(members), never O(accounts).
 */
export class AccountSet {
  private flag = new Uint8Array(0);
  private list = new Int32Array(1024);
  private length = 0;

  /** Makes room for account indices `< n`. */
  ensureAccounts(n: number): void {
    if (n <= this.flag.length) return;
    this.flag = grow(this.flag, nextCapacity(this.flag.length, n));
  }

  add(a: number): void {
    if (this.flag[a]) return;
    this.flag[a] = 1;
    if (this.length === this.list.length) this.list = grow(this.list, this.length * 2);
    this.list[this.length++] = a;
  }

  get size(): number {
    return this.length;
  }

  /** The members in the order they were added; valid until the next `add` or `clear`. */
  members(): Int32Array {
    return this.list.subarray(0, this.length);
  }

  clear(): void {
    this.removeFirst(this.length);
  }

  /** Removes the `k` members added first (all of them when `k >= size`). */
  removeFirst(k: number): void {
    const n = Math.min(k, this.length);
    for (let i = 0; i < n; i++) this.flag[this.list[i]!] = 0;
    this.list.copyWithin(0, n, this.length);
    this.length -= n;
  }
}
