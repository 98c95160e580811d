import { health, marginRatio } from "@/lib/risk";
import { A_COLLATERAL, A_IM, A_MM, A_STRIDE, A_UPNL } from "../book/account-record";
import type { BookState } from "../book/book-state";
import { SLOT_NOTIONAL, SLOT_STRIDE } from "../book/position-slots";
import type { AccountRow } from "@/lib/contracts/book-views";
import { LIVE_STATUSES } from "@/lib/risk";

/**
 * One account as a list row, from the incrementally kept sums (no resync): what lists and the
 * drift property test read. `null` for an unknown account.
 */
export function accountRow(book: Readonly<BookState>, accountId: string): AccountRow | null {
  const a = book.accountIndexOf(accountId);
  return a === undefined ? null : accountRowAt(book, a);
}

/** The row of account index `a` (see `accountRow`); figures `null` while it holds a market never priced. */
export function accountRowAt(book: Readonly<BookState>, a: number): AccountRow {
  const b = a * A_STRIDE;
  const acc = book.acc;
  const collateral = acc[b + A_COLLATERAL]!;
  if (book.unpriced[a]! > 0) {
    return {
      accountId: book.ids[a]!, status: "unknown", collateral, equity: null, maintenanceMargin: null, initialMargin: null,
      marginRatio: null, health: null, notional: null, positions: positionCountOf(book, a), unpricedMarkets: unpricedMarketsOf(book, a),
    };
  }
  const equity = collateral + acc[b + A_UPNL]!;
  const mm = acc[b + A_MM]!;
  const has = book.count[a]! > 0;
  return {
    accountId: book.ids[a]!,
    status: LIVE_STATUSES[book.status[a]!]!,
    collateral,
    equity,
    maintenanceMargin: mm,
    initialMargin: acc[b + A_IM]!,
    marginRatio: marginRatio(equity, mm, has),
    health: health(equity, mm, has),
    notional: notionalOf(book, a),
    positions: positionCountOf(book, a),
    unpricedMarkets: [],
  };
}

/** The markets never priced that account `a` holds, in id order. */
function unpricedMarketsOf(book: Readonly<BookState>, a: number): string[] {
  const out: string[] = [];
  const sl = book.slots;
  for (let s = book.head[a]!; s !== -1; s = sl.next[s]!) {
    const m = sl.market[s]!;
    if (Number.isNaN(book.marks[m]!)) out.push(book.compiled[m]!.id);
  }
  return out.sort();
}

/** Σ notional of an account's positions, cross and isolated (summed from their cached figures when asked). */
export function notionalOf(book: Readonly<BookState>, a: number): number {
  const sl = book.slots;
  let sum = 0;
  for (let s = book.head[a]!; s !== -1; s = sl.next[s]!) sum += sl.rec[s * SLOT_STRIDE + SLOT_NOTIONAL]!;
  for (let u = book.units.first[a]!; u !== -1; u = book.units.next[u]!) {
    for (let s = book.head[u]!; s !== -1; s = sl.next[s]!) sum += sl.rec[s * SLOT_STRIDE + SLOT_NOTIONAL]!;
  }
  return sum;
}

/** How many positions an account holds, cross and isolated (spec §11). */
export function positionCountOf(book: Readonly<BookState>, a: number): number {
  let n = book.count[a]!;
  for (let u = book.units.first[a]!; u !== -1; u = book.units.next[u]!) n += book.count[u]!;
  return n;
}
