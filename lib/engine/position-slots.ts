import { grow, nextCapacity } from "./grow";

/**
 * The pool of position rows ("slots") of the live book, one column per field (struct of arrays):
 * about 80 bytes a position. A slot belongs to one account and one market; the account's slots form
 * a singly linked list through `next` (head in the book), and `holderPos` is the slot's index in its
 * market's holder list (see `MarketHolders`). Freed slots are reused (free list through `next`).
 *
 * Per-position figures (`notional`, `upnl`, `mm`, `im`, `tier`) are cached at the mark they were last
 * valued at; the account sums are kept from them by deltas.
 */
export class PositionSlots {
  capacity = 0;
  /** Slots ever handed out (the high-water mark); live ones are `highWater - freeCount`. */
  highWater = 0;
  live = 0;
  private freeHead = -1;

  account = new Int32Array(0);
  market = new Int32Array(0);
  next = new Int32Array(0);
  holderPos = new Int32Array(0);
  qty = new Float64Array(0);
  entryPrice = new Float64Array(0);
  notional = new Float64Array(0);
  upnl = new Float64Array(0);
  mm = new Float64Array(0);
  im = new Float64Array(0);
  /** 0-based tier at the cached notional. */
  tier = new Uint8Array(0);

  constructor(initialCapacity = 1024) {
    this.reserve(initialCapacity);
  }

  /** Makes room for at least `n` slots without reallocating. */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const c = nextCapacity(this.capacity, n);
    this.account = grow(this.account, c);
    this.market = grow(this.market, c);
    this.next = grow(this.next, c);
    this.holderPos = grow(this.holderPos, c);
    this.qty = grow(this.qty, c);
    this.entryPrice = grow(this.entryPrice, c);
    this.notional = grow(this.notional, c);
    this.upnl = grow(this.upnl, c);
    this.mm = grow(this.mm, c);
    this.im = grow(this.im, c);
    this.tier = grow(this.tier, c);
    this.capacity = c;
  }

  /** A fresh slot for `account` in `market`, figures zeroed, not linked anywhere yet. */
  alloc(account: number, market: number): number {
    let s = this.freeHead;
    if (s >= 0) {
      this.freeHead = this.next[s]!;
    } else {
      if (this.highWater === this.capacity) this.reserve(this.highWater + 1);
      s = this.highWater++;
    }
    this.account[s] = account;
    this.market[s] = market;
    this.next[s] = -1;
    this.holderPos[s] = -1;
    this.qty[s] = 0;
    this.entryPrice[s] = 0;
    this.notional[s] = 0;
    this.upnl[s] = 0;
    this.mm[s] = 0;
    this.im[s] = 0;
    this.tier[s] = 0;
    this.live++;
    return s;
  }

  /** Returns a slot (already unlinked from its account and market) to the free list. */
  release(s: number): void {
    this.account[s] = -1;
    this.market[s] = -1;
    this.qty[s] = 0;
    this.next[s] = this.freeHead;
    this.freeHead = s;
    this.live--;
  }

  /** Bytes held by the columns (capacity, not just live slots). */
  bytes(): number {
    return this.capacity * (4 * 4 + 6 * 8 + 1);
  }
}
