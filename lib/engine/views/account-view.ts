import { figuresOfResolved, LIVE_STATUSES, planPartialLiquidation, topUpToSafe, type ResolvedPosition } from "@/lib/risk";
import { A_COLLATERAL, A_STRIDE } from "../book/account-record";
import type { BookState } from "../book/book-state";
import { SLOT_IM, SLOT_MM, SLOT_NOTIONAL, SLOT_STRIDE, SLOT_TIER, SLOT_UPNL } from "../book/position-slots";
import type { AccountRow, AccountView, IsolatedPositionView, PositionView } from "@/lib/contracts/book-views";
import { accountRowAt } from "./account-row";

/**
 * Everything about one account at current marks: figures of spec §3 (sums recomputed from
 * scratch first), positions with tier and liquidation price (lib/risk `figuresOfResolved`), the
 * plan of spec §6, top-up amounts and its queue entry (cool-down measured at `now`). `null` for
 * an unknown account.
 *
 * Spec §11: the account's figures, plan, top-ups and queue entry are its cross part's; each
 * isolated position is listed among the positions (by market id) with its own figures, plan,
 * top-ups and queue entry (`isolated`), computed on its unit exactly as an account's are.
 */
export function accountView(book: Readonly<BookState>, accountId: string, now: number): AccountView | null {
  const a = book.accountIndexOf(accountId);
  if (a === undefined) return null;
  const cross = unitView(book, a, now);
  const positions = [...cross.positions];
  for (let u = book.units.first[a]!; u !== -1; u = book.units.next[u]!) {
    if (book.count[u] === 0) continue;
    const unit = unitView(book, u, now);
    const isolated: IsolatedPositionView = {
      isolatedMargin: unit.collateral,
      equity: unit.row.equity,
      maintenanceMargin: unit.row.maintenanceMargin,
      marginRatio: unit.row.marginRatio,
      health: unit.row.health,
      status: unit.row.status,
      liquidation: unit.liquidation,
      topUp: unit.topUp,
      queue: unit.queue,
    };
    for (const p of unit.positions) positions.push({ ...p, isolated });
  }
  if (positions.length > cross.positions.length) positions.sort((x, y) => (x.marketId < y.marketId ? -1 : x.marketId > y.marketId ? 1 : 0));
  // After every unit's resync: the account's status is the worst of them.
  const row = accountRowAt(book, a);
  if (row.unpricedMarkets.length > 0) return { ...row, positions, liquidation: null, topUp: null, queue: null };
  return {
    accountId,
    collateral: cross.collateral,
    equity: row.equity!,
    maintenanceMargin: row.maintenanceMargin!,
    initialMargin: row.initialMargin,
    marginRatio: row.marginRatio,
    health: row.health,
    status: row.status,
    notional: row.notional,
    unpricedMarkets: [],
    positions,
    liquidation: cross.liquidation,
    topUp: cross.topUp,
    queue: cross.queue,
  };
}

interface UnitView {
  row: AccountRow;
  collateral: number;
  positions: PositionView[];
  liquidation: AccountView["liquidation"];
  topUp: AccountView["topUp"];
  queue: AccountView["queue"];
}

/** One unit (an account's cross part, or an isolated position's unit) as a one-account view. */
function unitView(book: Readonly<BookState>, a: number, now: number): UnitView {
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
  const row = ownRow(book, a);
  if (row.unpricedMarkets.length > 0) {
    return { row, collateral, positions: unknownPositions(book, slotsOf), liquidation: null, topUp: null, queue: null };
  }
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
  return {
    row,
    collateral,
    positions,
    liquidation: entry?.plan ?? planPartialLiquidation(equity, resolved, book.params),
    topUp: { toMaintenance: topUpToSafe(equity, mm, 1), toHealthy: topUpToSafe(equity, mm, book.params.warnRatio) },
    queue: entry,
  };
}

/**
 * The row of a unit alone: `accountRowAt` gives an account's status as the worst of its units and
 * counts its isolated positions; here the unit's own status and positions.
 */
function ownRow(book: Readonly<BookState>, a: number): AccountRow {
  const row = accountRowAt(book, a);
  if (row.unpricedMarkets.length > 0) return { ...row, positions: book.count[a]! };
  return { ...row, status: LIVE_STATUSES[book.ownStatus[a]!]!, positions: book.count[a]! };
}

/**
 * The positions of a unit holding a position in a market never priced: each priced position's
 * own figures at its mark (its liquidation price needs the unit's equity: unknown), the unpriced
 * ones without figures (spec §7).
 */
function unknownPositions(book: Readonly<BookState>, slotsOf: number[]): PositionView[] {
  const sl = book.slots;
  return slotsOf.map((s) => {
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
}
