import { marginRatio } from "@/lib/risk";
import { A_COLLATERAL, A_MM, A_STRIDE, A_UPNL } from "../book/account-record";
import type { BookState } from "../book/book-state";
import type { MarginRows } from "../engine-types";

/**
 * One margin snapshot row (figures from the kept sums) of each account whose figures changed
 * since its previous row, as columns: at most `limit`, those waiting longest first (the others
 * stay pending for the next call; `book.changes.pendingRows()` says how many).
 */
export function marginRows(book: Readonly<BookState>, limit = Infinity): MarginRows {
  let out: MarginRows | null = null;
  book.changes.drainSinceRows(limit, (changed) => {
    // An account of unknown figures has no row to keep (its history resumes once it is priced).
    const accounts = changed.filter((a) => book.unpriced[a] === 0);
    const n = accounts.length;
    const rows = {
      accountIds: new Array<string>(n),
      collateral: new Float64Array(n),
      equity: new Float64Array(n),
      maintenanceMargin: new Float64Array(n),
      marginRatio: new Float64Array(n),
      status: new Uint8Array(n),
    };
    const acc = book.acc;
    for (let i = 0; i < n; i++) {
      const a = accounts[i]!;
      const b = a * A_STRIDE;
      const equity = acc[b + A_COLLATERAL]! + acc[b + A_UPNL]!;
      const mm = acc[b + A_MM]!;
      rows.accountIds[i] = book.ids[a]!;
      rows.collateral[i] = acc[b + A_COLLATERAL]!;
      rows.equity[i] = equity;
      rows.maintenanceMargin[i] = mm;
      rows.marginRatio[i] = marginRatio(equity, mm, book.count[a]! > 0) ?? NaN;
      rows.status[i] = book.status[a]!;
    }
    out = rows;
  });
  return out!;
}
