import type { AccountRow } from "@/lib/contracts/book-views";
import type { BookState } from "../book/book-state";
import { accountRowAt } from "./account-row";

/** How an account id matches a search: the whole id, its start, or somewhere inside (case-insensitive). */
export type IdMatch = "exact" | "prefix" | "substring";

export interface IdSearchHit {
  readonly match: IdMatch;
  readonly row: AccountRow;
}

export interface IdSearchResult {
  /** The best `limit` matches: exact first, then prefixes, then substrings; shorter ids first within each, then by id. */
  readonly hits: IdSearchHit[];
  /** Every id that matches, counted over the whole book. */
  readonly total: number;
}

const RANK: Record<IdMatch, number> = { exact: 0, prefix: 1, substring: 2 };

/**
 * The book's ids lower-cased, index for index, kept beside each book (ids are only ever appended):
 * a search lower-cases its query once and each new id once, never the whole book per query.
 */
const lowerIds = new WeakMap<Readonly<BookState>, string[]>();

function lowerIdsOf(book: Readonly<BookState>): string[] {
  let lower = lowerIds.get(book);
  if (!lower) lowerIds.set(book, (lower = []));
  for (let a = lower.length; a < book.ids.length; a++) lower.push(book.ids[a]!.toLowerCase());
  return lower;
}

/**
 * Accounts whose id contains `q`, case-insensitive, in one pass over the book's ids: the `limit`
 * best by match (exact, prefix, substring), then id length, then id; and how many match in all.
 */
export function searchAccountIds(book: Readonly<BookState>, q: string, limit: number): IdSearchResult {
  const needle = q.toLowerCase();
  const lower = lowerIdsOf(book);
  const ids = book.ids;
  const cap = Math.max(0, Math.floor(limit));
  // The best `cap` so far, kept sorted (cap is small: ~20); `worst` is the last one's rank key.
  const best: { a: number; rank: number }[] = [];
  const before = (x: { a: number; rank: number }, y: { a: number; rank: number }): number =>
    x.rank - y.rank || ids[x.a]!.length - ids[y.a]!.length || (ids[x.a]! < ids[y.a]! ? -1 : ids[x.a]! > ids[y.a]! ? 1 : 0);
  let total = 0;
  for (let a = 0; a < lower.length; a++) {
    const at = lower[a]!.indexOf(needle);
    if (at < 0 || book.units.isUnit(a)) continue;
    total++;
    if (cap === 0) continue;
    const hit = { a, rank: at > 0 ? RANK.substring : lower[a]!.length === needle.length ? RANK.exact : RANK.prefix };
    if (best.length === cap && before(hit, best[cap - 1]!) >= 0) continue;
    let i = best.length;
    while (i > 0 && before(hit, best[i - 1]!) < 0) i--;
    best.splice(i, 0, hit);
    if (best.length > cap) best.pop();
  }
  const matchOf: IdMatch[] = ["exact", "prefix", "substring"];
  return { hits: best.map(({ a, rank }) => ({ match: matchOf[rank]!, row: accountRowAt(book, a) })), total };
}

/** The list rows of the given accounts, in the order given; `null` for an id the book does not hold. */
export function accountRowsOf(book: Readonly<BookState>, ids: readonly string[]): (AccountRow | null)[] {
  return ids.map((id) => {
    const a = book.accountIndexOf(id);
    return a === undefined ? null : accountRowAt(book, a);
  });
}
