import { marginRatio } from "@/lib/risk";
import { A_COLLATERAL, A_MM, A_STRIDE, A_UPNL } from "../book/account-record";
import { notionalOf, positionCountOf } from "./account-row";
import type { BookState } from "../book/book-state";
import type { AtRiskQuery } from "../engine-types";
import type { AccountRow, AtRiskSortColumn, Page } from "@/lib/contracts/book-views";
import { LIVE_STATUSES } from "@/lib/risk";
import { accountRowAt } from "./account-row";
import { selectPage } from "./select-page";

/**
 * Accounts filtered by status, market held, id prefix and least margin ratio, sorted over every
 * match by one numeric column either way (default margin ratio, riskiest first: equity <= 0 above
 * every ratio, accounts without positions last), ties by account id; one page. Figures are the
 * incrementally kept sums.
 */
export function atRisk(book: Readonly<BookState>, query: AtRiskQuery = {}): Page<AccountRow> {
  const offset = Math.max(0, Math.floor(query.offset ?? 0));
  const limit = Math.max(0, Math.floor(query.limit ?? 50));
  let mask = 0;
  if (query.status !== undefined) {
    const list = typeof query.status === "string" ? [query.status] : query.status;
    for (const s of list) mask |= 1 << LIVE_STATUSES.indexOf(s);
  } else mask = 0xff;
  const minRatio = query.minRatio;
  const prefix = query.idPrefix ?? "";
  const acc = book.acc;
  const keep = (a: number): boolean => {
    const o = a * A_STRIDE;
    if (book.units.isUnit(a)) return false;
    if (!(mask & (1 << book.status[a]!))) return false;
    if (prefix && !book.ids[a]!.startsWith(prefix)) return false;
    if (minRatio === undefined || book.unpriced[a]! > 0) return true;
    const r = marginRatio(acc[o + A_COLLATERAL]! + acc[o + A_UPNL]!, acc[o + A_MM]!, book.count[a]! > 0);
    return r === null || r >= minRatio;
  };
  const candidates: number[] = [];
  if (query.market !== undefined) {
    const m = book.marketIndex.get(query.market);
    if (m !== undefined) {
      const list = book.holders.list(m);
      const n = book.holders.count(m);
      for (let i = 0; i < n; i++) {
        // An isolated position's holder is its unit: the row is its owner's (one position per market).
        const a = book.units.accountOf(book.slots.account(list[i]!));
        if (keep(a)) candidates.push(a);
      }
    }
  } else {
    for (let a = 0; a < book.ids.length; a++) if (keep(a)) candidates.push(a);
  }
  const [column, dir] = (query.sort ?? "marginRatio:desc").split(":") as [AtRiskSortColumn, "asc" | "desc"];
  const key = sortKeys(book, candidates, column, dir === "desc");
  const compare = (x: number, y: number): number => {
    const d = key[x]! - key[y]!;
    if (d !== 0 && !Number.isNaN(d)) return d;
    const ix = book.ids[x]!;
    const iy = book.ids[y]!;
    return ix < iy ? -1 : ix > iy ? 1 : 0;
  };
  const page = selectPage(candidates, compare, offset, limit);
  return { total: candidates.length, offset, limit, items: page.map((a) => accountRowAt(book, a)) };
}

/**
 * Each candidate's sort key (by account index), computed once per query, ascending order: a
 * descending column is negated. Margin ratio sorts by health (`equity / MM`, so equity <= 0 is the
 * riskiest): unknown figures first among the riskiest and last among the safest, flat accounts
 * last descending. Every other column puts unknown figures (a market never priced) last either way.
 */
function sortKeys(book: Readonly<BookState>, candidates: readonly number[], column: AtRiskSortColumn, desc: boolean): Float64Array {
  const key = new Float64Array(book.ids.length);
  const acc = book.acc;
  const sign = desc ? -1 : 1;
  for (const a of candidates) {
    const o = a * A_STRIDE;
    const unknown = book.unpriced[a]! > 0;
    switch (column) {
      case "marginRatio":
        // Margin ratio descending is health (equity / MM) ascending, equity <= 0 included.
        key[a] = book.count[a] === 0 ? (desc ? Infinity : -Infinity)
          : unknown ? (desc ? -Infinity : Infinity)
            : -sign * ((acc[o + A_COLLATERAL]! + acc[o + A_UPNL]!) / acc[o + A_MM]!);
        break;
      case "equity":
        key[a] = unknown ? Infinity : sign * (acc[o + A_COLLATERAL]! + acc[o + A_UPNL]!);
        break;
      case "maintenanceMargin":
        key[a] = unknown ? Infinity : sign * acc[o + A_MM]!;
        break;
      case "notional": {
        if (unknown) {
          key[a] = Infinity;
          break;
        }
        key[a] = sign * notionalOf(book, a);
        break;
      }
      case "positions":
        key[a] = sign * positionCountOf(book, a);
        break;
    }
  }
  return key;
}
