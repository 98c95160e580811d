import { grow } from "./grow";

/**
 * For each market, the slots holding it: a dense Int32Array list per market with swap-remove, so
 * that a price tick iterates exactly the positions in that market. The caller keeps each slot's
 * index in its list (`PositionSlots.holderPos`) and fixes the index of the slot a removal moves.
 */
export class MarketHolders {
  private lists: Int32Array[] = [];
  private lengths: number[] = [];

  /** Registers market `m` (indices are dense and assigned in order). */
  addMarket(m: number): void {
    while (this.lists.length <= m) {
      this.lists.push(new Int32Array(64));
      this.lengths.push(0);
    }
  }

  count(m: number): number {
    return this.lengths[m] ?? 0;
  }

  /** The list of market `m`; only rows `0 .. count(m) - 1` are meaningful. Do not keep it across changes. */
  list(m: number): Int32Array {
    return this.lists[m]!;
  }

  /** Appends `slot` to market `m`; returns its index in the list. */
  add(m: number, slot: number): number {
    let list = this.lists[m]!;
    const n = this.lengths[m]!;
    if (n === list.length) this.lists[m] = list = grow(list, list.length * 2);
    list[n] = slot;
    this.lengths[m] = n + 1;
    return n;
  }

  /** Removes the entry at `index` of market `m` by moving the last one there; returns the moved slot or -1. */
  remove(m: number, index: number): number {
    const list = this.lists[m]!;
    const last = this.lengths[m]! - 1;
    this.lengths[m] = last;
    if (index === last) return -1;
    const moved = list[last]!;
    list[index] = moved;
    return moved;
  }

  bytes(): number {
    let b = 0;
    for (const l of this.lists) b += l.byteLength;
    return b;
  }
}
