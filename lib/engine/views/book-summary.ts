import { A_COLLATERAL, A_STRIDE } from "../book/account-record";
import type { BookState } from "../book/book-state";
import type { BookSummary } from "@/lib/contracts/book-views";
import { LIVE_STATUSES, type LiveStatus } from "@/lib/risk";
import { accountRowAt } from "./account-row";

/**
 * Dirty queue members `bookSummary` re-plans before it sums (oldest first); the rest keep their
 * previous plan in the totals until the worker's background refresh reaches them.
 */
const SUMMARY_PLAN_LIMIT = 500;

/** Most accounts `BookSummary.debt.largest` lists. */
const DEBT_ROWS = 50;

/** Book-wide figures: accounts by status, MM shortfall, planned close notional, deficits, stale markets, debt. */
export function bookSummary(book: Readonly<BookState>): BookSummary {
  const totals = book.queue.totals(SUMMARY_PLAN_LIMIT);
  const byStatus = {} as Record<LiveStatus, number>;
  LIVE_STATUSES.forEach((s, i) => (byStatus[s] = book.statusCounts[i]!));
  const staleMarkets: string[] = [];
  for (let m = 0; m < book.compiled.length; m++) if (book.isStaleIndex(m)) staleMarkets.push(book.compiled[m]!.id);
  return {
    markets: book.compiled.length,
    staleMarkets,
    accounts: book.accounts,
    accountsWithPositions: book.withPositions,
    positions: book.slots.live,
    byStatus,
    mmShortfall: totals.shortfall,
    pendingNotional: totals.pendingNotional,
    expectedDeficit: totals.expectedDeficit,
    queue: { size: book.queue.length, paused: totals.paused, byMode: totals.byMode, plansPending: totals.plansPending },
    debt: debt(book),
  };
}

/** The indebted accounts (largest debt first) and their total, as of a `debtEpoch`. */
interface DebtList {
  readonly epoch: number;
  readonly indebted: readonly number[];
  readonly total: number;
}

/**
 * Each book's debt list, rebuilt only when a collateral below 0 changed (`debtEpoch`): a scan of
 * every account, which the desk's summary read on every push (250,000 accounts, up to 10 times a
 * second, ~5% of the engine worker on the tick-to-dom book) while ticks never change a collateral.
 */
const debtLists = new WeakMap<Readonly<BookState>, DebtList>();

/** Accounts whose collateral is below 0 (a debt), their total and the largest `DEBT_ROWS` (figures as of now). */
function debt(book: Readonly<BookState>): BookSummary["debt"] {
  let list = debtLists.get(book);
  if (list?.epoch !== book.debtEpoch) {
    list = debtList(book);
    debtLists.set(book, list);
  }
  return { accounts: list.indebted.length, total: list.total, largest: list.indebted.slice(0, DEBT_ROWS).map((a) => accountRowAt(book, a)) };
}

function debtList(book: Readonly<BookState>): DebtList {
  const indebted: number[] = [];
  let total = 0;
  for (let a = 0; a < book.ids.length; a++) {
    if (book.units.isUnit(a)) continue;
    const c = book.acc[a * A_STRIDE + A_COLLATERAL]!;
    if (c < 0) {
      indebted.push(a);
      total -= c;
    }
  }
  const collateral = (a: number) => book.acc[a * A_STRIDE + A_COLLATERAL]!;
  indebted.sort((x, y) => collateral(x) - collateral(y) || (book.ids[x]! < book.ids[y]! ? -1 : 1));
  return { epoch: book.debtEpoch, indebted, total };
}
