import { figuresOfResolved, planPartialLiquidation, topUpToSafe, type ResolvedPosition } from "@/lib/risk";
import { A_COLLATERAL, A_STRIDE } from "../book/account-record";
import type { BookState } from "../book/book-state";
import { SLOT_IM, SLOT_MM, SLOT_NOTIONAL, SLOT_STRIDE, SLOT_TIER, SLOT_UPNL } from "../book/position-slots";
import type { AccountRow, AccountView, PositionView } from "@/lib/contracts/book-views";
import { accountRowAt } from "./account-row";

/**
 * Everything about one account at current marks: figures of spec §3 (sums recomputed from
 * scratch first), positions with tier and liquidation price (lib/risk `figuresOfResolved`), the
 * plan of spec §6, top-up amounts and its queue entry (cool-down measured at `now`). `null` for
 * an unknown account.
 */
export function accountView(book: Readonly<BookState>, accountId: string, now: number): AccountView | null {
  const a = book.accountIndex.get(accountId);
  if (a === undefined) return null;
  book.resync(a);
  const sl = book.slots;
  const slotsOf: number[] = [];
  for (let s = book.head[a]!; s !== -1; s = sl.next[s]!) slotsOf.push(s);
  slotsOf.sort((x, y) => {
    const ix = book.compiled[sl.market[x]!]!.id;
    const iy = book.compiled[sl.market[y]!]!.id;
    return ix < iy ? -1 : ix > iy ? 1 : 0;
  });
  const collateral = book.acc[a * A_STRIDE + A_COLLATERAL]!;
  const row = accountRowAt(book, a);
  if (row.unpricedMarkets.length > 0) return unknownView(book, row, slotsOf);
  const resolved: ResolvedPosition[] = slotsOf.map((s) => ({
    market: book.compiled[sl.market[s]!]!,
    qty: sl.qty(s),
    entryPrice: sl.entryPrice(s),
    markPrice: book.priceFor(s),
  }));
  const figures = figuresOfResolved(collateral, resolved, book.params);
  const positions: PositionView[] = figures.positions.map((p, i) => ({
    marketId: p.marketId,
    qty: p.qty,
    entryPrice: resolved[i]!.entryPrice,
    markPrice: resolved[i]!.markPrice,
    stale: book.isStaleIndex(sl.market[slotsOf[i]!]!),
    notional: p.notional,
    unrealizedPnl: p.unrealizedPnl,
    maintenanceMargin: p.maintenanceMargin,
    initialMargin: p.initialMargin,
    tier: p.tier,
    liquidationPrice: p.liquidationPrice,
  }));
  const equity = row.equity!;
  const mm = row.maintenanceMargin!;
  const entry = book.queue.entryOf(a, now);
  const plan = entry?.plan ?? planPartialLiquidation(equity, resolved, book.params);
  return {
    accountId,
    collateral,
    equity,
    maintenanceMargin: mm,
    initialMargin: row.initialMargin,
    marginRatio: row.marginRatio,
    health: row.health,
    status: row.status,
    notional: row.notional,
    unpricedMarkets: [],
    positions,
    liquidation: plan,
    topUp: {
      toMaintenance: topUpToSafe(equity, mm, 1),
      toHealthy: topUpToSafe(equity, mm, book.params.warnRatio),
    },
    queue: entry,
  };
}

/**
 * The view of an account holding a position in a market never priced: each priced position's
 * own figures at its mark (its liquidation price needs the account's equity: unknown), the
 * unpriced ones without figures, and no account figure, plan or top-up (spec §7).
 */
function unknownView(book: Readonly<BookState>, row: AccountRow, slotsOf: number[]): AccountView {
  const sl = book.slots;
  const positions: PositionView[] = slotsOf.map((s) => {
    const m = sl.market[s]!;
    const priced = !Number.isNaN(book.marks[m]!);
    const o = s * SLOT_STRIDE;
    const rec = sl.rec;
    return {
      marketId: book.compiled[m]!.id,
      qty: sl.qty(s),
      entryPrice: sl.entryPrice(s),
      markPrice: priced ? book.marks[m]! : null,
      stale: book.isStaleIndex(m),
      notional: priced ? rec[o + SLOT_NOTIONAL]! : null,
      unrealizedPnl: priced ? rec[o + SLOT_UPNL]! : null,
      maintenanceMargin: priced ? rec[o + SLOT_MM]! : null,
      initialMargin: priced ? rec[o + SLOT_IM]! : null,
      tier: priced ? rec[o + SLOT_TIER]! + 1 : null,
      liquidationPrice: null,
    };
  });
  return { ...row, positions, liquidation: null, topUp: null, queue: null };
}
