import { grow, nextCapacity } from "./grow";

/** Fields of a slot record in `PositionSlots.rec` (8 float64 = one 64-byte cache line). */
export const SLOT_QTY = 0;
export const SLOT_ENTRY = 1;
export const SLOT_NOTIONAL = 2;
export const SLOT_UPNL = 3;
export const SLOT_MM = 4;
export const SLOT_IM = 5;
export const SLOT_ACCOUNT = 6;
/** 0-based tier at the cached notional. */
export const SLOT_TIER = 7;
export const SLOT_STRIDE = 8;

/** Slots are handed out in blocks of this many, each block holding one market's positions. */
export const SLOT_BLOCK = 256;

/**
 * The pool of position rows ("slots") of the live book. What a price tick reads and writes for one
 * position sits in one record of 8 float64 (`rec`, one cache line: quantity, entry price, cached
 * notional, unrealized PnL, MM, IM, account index, tier); the structural fields (`market`, `next`,
 * `holderPos`) are Int32Arrays beside it. About 76 bytes a position.
 *
 * Slots are allocated in blocks of `SLOT_BLOCK` per market, so that the positions of one market
 * lie together and a tick on it walks memory nearly in order (a market's freed slots are reused by
 * that market). A slot belongs to one account and one market; the account's slots form a singly
 * linked list through `next` (head in the book); `holderPos` is the slot's index in its market's
 * holder list (see `MarketHolders`).
 */
export class PositionSlots {
  capacity = 0;
  /** Slots in blocks handed out so far. */
  highWater = 0;
  live = 0;
  /** Per market: head of its free list (through `next`), next unused slot of its current block and that block's end. */
  private freeHead: number[] = [];
  private blockNext: number[] = [];
  private blockEnd: number[] = [];

  rec = new Float64Array(0);
  market = new Int32Array(0);
  next = new Int32Array(0);
  holderPos = new Int32Array(0);

  /** `initialCapacity` positions plus a partly filled block for each of 64 markets. */
  constructor(initialCapacity = 1024) {
    this.reserve(initialCapacity + 64 * SLOT_BLOCK);
  }

  /** Makes room for at least `n` slots without reallocating (growing by half at least). */
  reserve(n: number): void {
    if (n <= this.capacity) return;
    const c = Math.max(nextCapacity(0, n), Math.ceil(this.capacity * 1.5));
    this.rec = grow(this.rec, c * SLOT_STRIDE);
    this.market = grow(this.market, c, -1);
    this.next = grow(this.next, c);
    this.holderPos = grow(this.holderPos, c);
    this.capacity = c;
  }

  /** A fresh slot for `account` in `market`, figures zeroed, not linked anywhere yet. */
  alloc(account: number, market: number): number {
    while (this.freeHead.length <= market) {
      this.freeHead.push(-1);
      this.blockNext.push(0);
      this.blockEnd.push(0);
    }
    let s = this.freeHead[market]!;
    if (s >= 0) {
      this.freeHead[market] = this.next[s]!;
    } else {
      if (this.blockNext[market] === this.blockEnd[market]) {
        const start = this.highWater;
        this.highWater += SLOT_BLOCK;
        this.reserve(this.highWater);
        this.blockNext[market] = start;
        this.blockEnd[market] = this.highWater;
      }
      s = this.blockNext[market]!;
      this.blockNext[market] = s + 1;
    }
    const o = s * SLOT_STRIDE;
    this.rec.fill(0, o, o + SLOT_STRIDE);
    this.rec[o + SLOT_ACCOUNT] = account;
    this.market[s] = market;
    this.next[s] = -1;
    this.holderPos[s] = -1;
    this.live++;
    return s;
  }

  /** Returns a slot (already unlinked from its account and market) to its market's free list. */
  release(s: number): void {
    const m = this.market[s]!;
    const o = s * SLOT_STRIDE;
    this.rec.fill(0, o, o + SLOT_STRIDE);
    this.rec[o + SLOT_ACCOUNT] = -1;
    this.next[s] = this.freeHead[m]!;
    this.freeHead[m] = s;
    this.live--;
  }

  account(s: number): number {
    return this.rec[s * SLOT_STRIDE + SLOT_ACCOUNT]!;
  }

  qty(s: number): number {
    return this.rec[s * SLOT_STRIDE + SLOT_QTY]!;
  }

  entryPrice(s: number): number {
    return this.rec[s * SLOT_STRIDE + SLOT_ENTRY]!;
  }

  /** Bytes held by the columns (capacity, not just live slots). */
  bytes(): number {
    return this.capacity * (SLOT_STRIDE * 8 + 3 * 4);
  }
}
