import { A_COLLATERAL, A_STRIDE } from "../book/account-record";
import type { BookState } from "../book/book-state";
import type { BookSnapshot } from "../engine-types";

/**
 * The live state as columns (for the stress model, spec §8, and for tests): every account, or
 * with `market` only the accounts holding it (with all their positions). An unknown market gives
 * no account. Spec §11: an account's isolated positions are among its positions, each with its
 * margin (`positionIsolatedMargin`, NaN for a cross one); units are never accounts here.
 */
export function bookSnapshot(book: Readonly<BookState>, options: { market?: string | undefined } = {}): BookSnapshot {
  const sl = book.slots;
  const units = book.units;
  let held: number[];
  if (options.market === undefined) {
    held = [];
    for (let a = 0; a < book.ids.length; a++) if (!units.isUnit(a)) held.push(a);
  } else {
    const m = book.marketIndex.get(options.market);
    const list = m === undefined ? new Int32Array(0) : book.holders.list(m).subarray(0, book.holders.count(m));
    // Account indices ascending: the snapshot keeps the book's account order (an isolated holder is its owner).
    held = [...new Set(Array.from(list, (s) => units.accountOf(sl.account(s))))].sort((x, y) => x - y);
  }
  let rows = 0;
  for (const a of held) {
    rows += book.count[a]!;
    for (let u = units.first[a]!; u !== -1; u = units.next[u]!) rows += book.count[u]!;
  }
  const n = held.length;
  const accountStart = new Int32Array(n + 1);
  const positionMarket = new Int32Array(rows);
  const positionQty = new Float64Array(rows);
  const positionEntryPrice = new Float64Array(rows);
  const positionIsolatedMargin = new Float64Array(rows);
  const accountIds = new Array<string>(n);
  const collateral = new Float64Array(n);
  let r = 0;
  const rowsOf = (a: number, margin: number) => {
    for (let s = book.head[a]!; s !== -1; s = sl.next[s]!) {
      positionMarket[r] = sl.market[s]!;
      positionQty[r] = sl.qty(s);
      positionEntryPrice[r] = sl.entryPrice(s);
      positionIsolatedMargin[r] = margin;
      r++;
    }
  };
  for (let i = 0; i < n; i++) {
    const a = held[i]!;
    accountIds[i] = book.ids[a]!;
    collateral[i] = book.acc[a * A_STRIDE + A_COLLATERAL]!;
    accountStart[i] = r;
    rowsOf(a, NaN);
    for (let u = units.first[a]!; u !== -1; u = units.next[u]!) rowsOf(u, book.acc[u * A_STRIDE + A_COLLATERAL]!);
  }
  accountStart[n] = r;
  return {
    params: book.params,
    markets: book.compiled.map((m) => m.params),
    marks: book.marks.slice(0, book.compiled.length),
    stale: Uint8Array.from({ length: book.compiled.length }, (_, m) => (book.isStaleIndex(m) ? 1 : 0)),
    accountIds,
    collateral,
    accountStart,
    positionMarket,
    positionQty,
    positionEntryPrice,
    positionIsolatedMargin,
  };
}
